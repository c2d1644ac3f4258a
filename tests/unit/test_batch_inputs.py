"""What ``coach batch`` reads before any analysis: folders, ZIP archives (hostile ones refused), whose each take is."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from coach.batch import ArchiveError, RepRules, ZipLimits, extract_zip, gather, read_rep_mapping
from coach.config import config_from_text, default_config
from coach.errors import ConfigError

LIMITS = ZipLimits.from_config(default_config())
WAV = b"RIFF....WAVEfmt "  # the bytes do not matter here: nothing is decoded


def touch(path: Path, data: bytes = WAV) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def reps_of(found) -> dict[str, str | None]:
    return {item.name: item.rep for item in found.items}


def test_the_rep_comes_from_the_mapping_then_the_pattern_then_the_folder_then_the_default() -> None:
    rules = RepRules(pattern="{rep}_*.wav", mapping={"odd.wav": "Casey"}, default="Team Lead")
    assert rules.rep_for(PurePosixPath("alex_monday.wav"), "folder") == "alex"
    assert rules.rep_for(PurePosixPath("x/ALEX_monday.WAV"), None) == "ALEX"
    assert rules.rep_for(PurePosixPath("bo/odd.wav"), "bo") == "Casey"
    assert rules.rep_for(PurePosixPath("bo/take.wav"), "bo") == "bo"
    assert rules.rep_for(PurePosixPath("take.wav"), None) == "Team Lead"
    assert RepRules().rep_for(PurePosixPath("take.wav"), None) is None
    assert RepRules(pattern="calls/{rep}/*.mp3").rep_for(PurePosixPath("calls/dana/1.mp3"), None) == "dana"
    with pytest.raises(ConfigError, match=r"\{rep\} exactly once"):
        RepRules(pattern="*.wav")


def test_a_mapping_csv_needs_its_header_and_says_what_it_found(tmp_path: Path) -> None:
    good = tmp_path / "reps.csv"
    good.write_text("File,Rep\nalex/1.wav,Alex Kim\n2.wav, Bo Diaz \n,ignored\n", encoding="utf-8")
    assert read_rep_mapping(good) == {"alex/1.wav": "Alex Kim", "2.wav": "Bo Diaz"}
    bad = tmp_path / "bad.csv"
    bad.write_text("name,person\n1.wav,Alex\n")
    with pytest.raises(ConfigError, match="columns file and rep.*found: name, person"):
        read_rep_mapping(bad)
    with pytest.raises(ConfigError, match="not found"):
        read_rep_mapping(tmp_path / "missing.csv")


def test_a_folder_is_searched_recursively_one_folder_per_rep(tmp_path: Path) -> None:
    team = tmp_path / "team"
    touch(team / "alex" / "mon.wav")
    touch(team / "alex" / "week2" / "tue.mp3")
    touch(team / "bo" / "take.m4a")
    touch(team / "loose.wav")
    touch(team / "alex" / "notes.txt", b"not audio")
    touch(team / ".hidden" / "x.wav")
    os.symlink(tmp_path / "elsewhere.wav", team / "bo" / "link.wav")
    found = gather([team], RepRules(), scratch=tmp_path / "scratch", limits=LIMITS)
    assert reps_of(found) == {
        f"{team}/alex/mon.wav": "alex",
        f"{team}/alex/week2/tue.mp3": "alex",
        f"{team}/bo/take.m4a": "bo",
        f"{team}/loose.wav": None,
    }
    assert found.ignored == 1 and not found.failures
    missing = gather([tmp_path / "nope"], RepRules(), scratch=tmp_path / "s2", limits=LIMITS)
    assert not missing.items and "no such file or folder" in str(missing.failures[0][1])


def make_zip(path: Path, members: dict[str, bytes], *, top: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(top + name, data)
    return path


def test_a_zip_of_the_team_folder_is_read_like_the_folder(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "team.zip",
        {"alex/1.wav": WAV, "bo/2.wav": WAV, "readme.txt": b"hi", "__MACOSX/._1.wav": WAV},
        top="team/",
    )
    scratch = tmp_path / "scratch"
    found = gather([archive], RepRules(), scratch=scratch, limits=LIMITS, names={str(archive): "upload.zip"})
    assert reps_of(found) == {"upload.zip:alex/1.wav": "alex", "upload.zip:bo/2.wav": "bo"}
    assert all(item.path.is_relative_to(scratch) for item in found.items)


def _hostile(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("alex/ok.wav", WAV)
        if kind == "traversal":
            zf.writestr("../../evil.wav", WAV)
        elif kind == "absolute":
            info = zipfile.ZipInfo("placeholder.wav")
            info.filename = "/tmp/evil.wav"
            zf.writestr(info, WAV)
        elif kind == "windows":
            zf.writestr("C:\\evil.wav", WAV)
        elif kind == "symlink":
            info = zipfile.ZipInfo("alex/link.wav")
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
        elif kind == "encrypted":
            zf.writestr("alex/secret.wav", WAV)
        elif kind == "bomb":
            with zf.open("alex/bomb.wav", "w") as out:
                block = bytes(1 << 20)
                for _ in range(8):
                    out.write(block)
        elif kind == "many":
            for i in range(12):
                zf.writestr(f"alex/{i}.wav", WAV)
    if kind == "damaged":
        path.write_bytes(path.read_bytes()[:40])
    if kind == "encrypted":  # zipfile cannot write encrypted members: set the flag in the central directory
        data = bytearray(path.read_bytes())
        at = data.rfind(b"PK\x01\x02")
        data[at + 8] |= 0x1
        path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("traversal", "climbs out"),
        ("absolute", "absolute path"),
        ("windows", "absolute path"),
        ("symlink", "is a link"),
        ("encrypted", "encrypted"),
        ("bomb", "zip bomb"),
        ("many", "more than the limit of 10"),
        ("damaged", "not a readable ZIP"),
    ],
)
def test_a_hostile_zip_is_refused_whole_before_anything_is_written(tmp_path: Path, kind: str, message: str) -> None:
    archive = _hostile(tmp_path, kind)
    limits = ZipLimits(max_bytes=1 << 20, max_members=10)
    dest = tmp_path / "scratch" / "zip-0"
    with pytest.raises(ArchiveError, match=message):
        extract_zip(archive, dest, limits)
    assert not (tmp_path / "evil.wav").exists() and not Path("/tmp/evil.wav").exists()
    # Refused before writing anything (a member inflating past the limit is caught while streaming).
    written = [p for p in dest.rglob("*") if p.is_file()] if dest.exists() else []
    assert written == [] or kind == "bomb"
    # In a batch, the archive is one failure with its reason and the other inputs still go through.
    good = touch(tmp_path / "good" / "take.wav")
    found = gather([archive, good], RepRules(), scratch=tmp_path / "s2", limits=limits)
    assert [item.path for item in found.items] == [good]
    assert len(found.failures) == 1 and message.split()[0] in str(found.failures[0][1])
    assert not (tmp_path / "s2" / "zip-0").exists()


def test_the_zip_limits_are_settings(tmp_path: Path) -> None:
    config = config_from_text("[batch]\nzip_max_mb = 0.5\nzip_max_members = 3\n")
    assert ZipLimits.from_config(config) == ZipLimits(524288, 3)
    with pytest.raises(ConfigError, match="batch.zip_max_mb must be a number of megabytes"):
        config_from_text("[batch]\nzip_max_mb = -1\n")
