"""The app's pages, one module each: Practice and History. They lay out views; they never analyse."""
