"""What the words say, as pure functions of Whisper's word list: fillers,
sentences and questions (:mod:`~coach.text.features`), the caller's
introduction (:mod:`~coach.text.introduction`), callback numbers
(:mod:`~coach.text.phone_numbers`), phrase matching (:mod:`~coach.text.matching`),
and the script comparison (:mod:`~coach.text.script_diff`, on
:mod:`~coach.text.normalise`'s spoken-word form).
"""
