"""Bad input, end to end: every kind of broken or unexpected seed gives correct records, or a
clear message naming the file (and line) with a distinct exit status while the previous
package stays byte-identical.

Each test has a case: a function that writes its input into a seed folder of its own, next to
an output folder holding a copy of the previous package. The CLI then runs on it in a
subprocess. The cases are independent, so they all start in the background, two at a time,
as soon as the module starts; a test waits for its own case (or runs it at once).
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT
from leftovers import assert_no_process_left, marked_environment, snapshot

from pipeline.classify import SAFE_ID
from pipeline.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_NO_INPUT
from pipeline.schema import resource_names

# A small notice with everything the extractors read: items at two levels, amounts, targets
# with a deadline year, responsibility clauses, a 文号, an issuer and a date.
BASE = """四川省人民政府办公厅
关于支持测试产业高质量发展的若干措施
川办发〔2024〕12号

各市（州）人民政府，省政府各部门：
为加快测试产业发展，现提出如下措施。
一、加大财政支持
（一）设立专项资金。省级财政每年安排5亿元，支持重点项目建设。（责任单位：财政厅、经济和信息化厅）
（二）奖励龙头企业。对营业收入首次突破100亿元的企业，给予最高不超过500万元奖励。（责任单位：经济和信息化厅）
二、发展目标
到2025年，测试产业营业收入达到1000亿元，培育专精特新企业200户，研发投入强度达到2.5%。（责任单位：经济和信息化厅，省发展改革委配合）

四川省人民政府办公厅
2024年3月1日
"""
# The same notice as a Taiwan or Hong Kong office would type it.
TRADITIONAL = """四川省人民政府辦公廳
關於支持測試產業高質量發展的若干措施
川辦發〔2024〕12號

各市（州）人民政府，省政府各部門：
為加快測試產業發展，現提出如下措施。
一、加大財政支持
（一）設立專項資金。省級財政每年安排5億元，支持重點項目建設。（責任單位：財政廳、經濟和信息化廳）
（二）獎勵龍頭企業。對營業收入首次突破100億元的企業，給予最高不超過500萬元獎勵。（責任單位：經濟和信息化廳）
二、發展目標
到2025年，測試產業營業收入達到1000億元，培育專精特新企業200戶，研發投入強度達到2.5%。（責任單位：經濟和信息化廳，省發展改革委配合）

四川省人民政府辦公廳
2024年3月1日
"""
FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def cli_command(seeds: Path, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "build", "--seeds", str(seeds), "--out", str(out),
            "--no-progress", *options]


def tables(folder: Path) -> dict[str, list[dict]]:
    out = {}
    for name in resource_names():
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            out[name] = list(csv.DictReader(fh))
    return out


def without(rows: dict[str, list[dict]], *columns: str) -> dict[str, list[dict]]:
    return {name: [{k: v for k, v in r.items() if k not in columns} for r in table] for name, table in rows.items()}


def frictionless_errors(folder: Path) -> list:
    from frictionless import Package

    report = Package(str(folder / "datapackage.json")).validate()
    return [] if report.valid else report.flatten(["type", "message"])[:5]


class Workspace:
    """A seed folder, and an output folder holding a copy of the previous package."""

    def __init__(self, root: Path, previous: Path):
        self.root, self.seeds, self.out = root, root / "seeds", root / "datapackage"
        self.seeds.mkdir(parents=True)
        shutil.copytree(previous, self.out)
        self.before = snapshot(self.out)
        self.options: list[str] = []
        self.command: list[str] | None = None  # instead of the plain CLI
        self.run: subprocess.CompletedProcess | None = None
        self.seconds = 0.0
        self.seeds_before: dict[str, bytes] = {}
        self.token = ""
        self.deletes_a_seed = False  # the case itself removes a seed while the build runs

    def write(self, name: str, data: bytes | str) -> Path:
        path = self.seeds / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def execute(self) -> None:
        self.seeds_before = snapshot(self.seeds)
        env, self.token = marked_environment()
        started = time.perf_counter()
        self.run = subprocess.run(self.command or cli_command(self.seeds, self.out, *self.options),
                                  cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        self.seconds = time.perf_counter() - started

    def assert_left_alone(self) -> None:
        """The user's seed files as they were, and no process of the build still running."""
        if not self.deletes_a_seed:
            assert snapshot(self.seeds) == self.seeds_before
        assert_no_process_left(self.token)

    @property
    def stdout(self) -> str:
        return self.run.stdout

    def assert_failed(self, name: str, line: int | None = None, code: str | None = None,
                      status: int = EXIT_INPUT) -> str:
        """Failed with `status`, a one-line message naming the file (and line), no traceback,
        nothing published: the previous package is byte-identical (and so still valid)."""
        run = self.run
        assert run.returncode == status, (run.returncode, run.stdout, run.stderr)
        assert "Traceback" not in run.stderr + run.stdout
        message = run.stderr.strip()
        assert message.startswith("error: ") and name in message, message
        if line is not None:
            assert f"{name}:{line}:" in message, message
        if code is not None:
            assert f"[{code}]" in message, message
        assert "Package written" not in run.stdout
        assert snapshot(self.out) == self.before
        assert not list(self.root.glob(".datapackage.staging-*"))
        self.assert_left_alone()
        return message

    def assert_built(self) -> dict[str, list[dict]]:
        run = self.run
        assert run.returncode == 0, (run.stdout, run.stderr)
        assert "Traceback" not in run.stderr + run.stdout
        self.assert_left_alone()
        return tables(self.out)


CASES: dict[str, Callable[[Workspace], None]] = {}


def case(setup: Callable[[Workspace], None]) -> Callable[[Workspace], None]:
    """Register a function that writes a case's input (and sets its options)."""
    CASES[setup.__name__] = setup
    return setup


class Builds:
    """Every case, built in the background two at a time (each on its own folders)."""

    def __init__(self, root: Path, previous: Path):
        self.root, self.previous = root, previous
        self.pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))
        self.futures = {name: self.pool.submit(self.build, name) for name in CASES}

    def build(self, name: str) -> Workspace:
        ws = Workspace(self.root / name, self.previous)
        CASES[name](ws)
        ws.execute()
        return ws

    def __call__(self, setup: Callable | str) -> Workspace:
        name = setup if isinstance(setup, str) else setup.__name__
        future = self.futures[name]
        return self.build(name) if future.cancel() else future.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """The package built from BASE alone: the package each case's build replaces (or not)."""
    folder = tmp_path_factory.mktemp("previous")
    (folder / "seeds").mkdir()
    (folder / "seeds" / "base.txt").write_text(BASE, encoding="utf-8")
    run = subprocess.run(cli_command(folder / "seeds", folder / "datapackage"), cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert frictionless_errors(folder / "datapackage") == []
    return folder / "datapackage"


@pytest.fixture(scope="module")
def previous_rows(previous) -> dict[str, list[dict]]:
    return tables(previous)


@pytest.fixture(scope="module")
def built(tmp_path_factory, previous):
    builds = Builds(tmp_path_factory.mktemp("cases"), previous)
    yield builds
    builds.close()


# ---------------------------------------------------------------- encodings


ENCODED = {
    "gb18030": BASE.encode("gb18030"),
    "gbk": BASE.encode("gbk"),
    "utf-8-bom": codecs.BOM_UTF8 + BASE.encode(),
    "utf-16-le-bom": BASE.encode("utf-16"),
    "utf-16-be-bom": codecs.BOM_UTF16_BE + BASE.encode("utf-16-be"),
    "utf-16-without-bom": BASE.encode("utf-16-le"),
    "crlf": BASE.replace("\n", "\r\n").encode(),
}
for _label, _data in ENCODED.items():
    CASES[f"encoding {_label}"] = lambda ws, data=_data: ws.write("base.txt", data)


@pytest.mark.parametrize("label", list(ENCODED))
def test_other_encodings_give_the_same_rows_as_utf8(built, previous_rows, label):
    rows = built(f"encoding {label}").assert_built()
    assert without(rows, "source_sha256") == without(previous_rows, "source_sha256")


@case
def damaged_utf8(ws):
    ws.write("base.txt", BASE)
    lines = BASE.encode().split(b"\n")
    lines[7] = lines[7][:30] + b"\xff\xfe" + lines[7][30:]  # a damaged byte on line 8
    ws.write("damaged.txt", b"\n".join(lines))


def test_undecodable_bytes_fail_naming_file_and_line(built):
    message = built(damaged_utf8).assert_failed("damaged.txt", line=8, code="encoding")
    assert "not valid UTF-8" in message and "ff" in message


@case
def damaged_gb18030(ws):
    ws.write("base.txt", BASE)
    lines = BASE.encode("gb18030").split(b"\n")
    lines[4] = lines[4] + b"\xff\xff"
    ws.write("broken gb.txt", b"\n".join(lines))


def test_bytes_that_are_neither_utf8_gb18030_nor_big5_fail_naming_the_line(built):
    message = built(damaged_gb18030).assert_failed("broken gb.txt", line=5, code="encoding")
    assert "neither UTF-8, GB18030 nor Big5" in message


@case
def big5(ws):
    ws.write("base.txt", TRADITIONAL.encode("cp950"))


def test_big5_traditional_text_gives_the_same_rows(built, previous_rows):
    ws = built(big5)
    assert without(ws.assert_built(), "source_sha256") == without(previous_rows, "source_sha256")
    assert "base.txt:1: written in traditional characters" in ws.stdout


# ---------------------------------------------------------------- not text at all


BLANK = {"empty": b"", "whitespace": " \n\t\r\n\u3000\u3000\n".encode()}
for _label, _data in BLANK.items():
    CASES[f"blank {_label}"] = lambda ws, data=_data: (ws.write("base.txt", BASE), ws.write("blank.txt", data))


@pytest.mark.parametrize("label", list(BLANK))
def test_empty_or_whitespace_only_file_fails(built, label):
    message = built(f"blank {label}").assert_failed("blank.txt", code="empty")
    assert "empty or holds only whitespace" in message


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(2048)


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", BASE)
    return buffer.getvalue()


# A PDF or a DOCX named .txt goes to its reader (pipeline/readers), which names what is broken.
BINARY = {
    "png": (png(), "binary", "a PNG image"),
    "zip": (zip_archive(), "unreadable", "not a readable DOCX document"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "unreadable", "not a readable PDF"),
    "nul-bytes": (b"\x00\x01" + random.Random(2).randbytes(4096), "binary", "binary data (NUL bytes)"),
}
for _label, (_data, _, _) in BINARY.items():
    CASES[f"binary {_label}"] = lambda ws, data=_data: (ws.write("base.txt", BASE), ws.write("scan.txt", data))


@pytest.mark.parametrize("label", list(BINARY))
def test_binary_file_fails(built, label):
    _, code, what = BINARY[label]
    message = built(f"binary {label}").assert_failed("scan.txt", code=code)
    assert what in message


@case
def french(ws):
    ws.write("base.txt", BASE)
    ws.write("french.txt", "Politique économique de la province, été 2024.\n")


def test_text_without_chinese_fails(built):
    built(french).assert_failed("french.txt", code="not_chinese")


@case
def one_line_of_50mb(ws):
    ws.write("base.txt", BASE)
    sentence = "省级财政每年安排5亿元支持重点项目建设，到2025年营业收入达到1000亿元（责任单位：财政厅）；".encode()
    ws.write("one line.txt", BASE.encode() + sentence * (50_000_000 // len(sentence)))


def test_a_single_50mb_line_fails_fast_naming_the_line(built):
    """An extraction that lost every line break: refused at once, not read for minutes."""
    ws = built(one_line_of_50mb)
    message = ws.assert_failed("one line.txt", line=15, code="line_too_long")
    assert "lost its line breaks" in message
    assert ws.seconds < 15, ws.seconds  # about 1 s: start, read, hash, decode, measure the lines
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1024, peak_mb  # about 170 MB: the bytes and one decoded copy


# ---------------------------------------------------------------- text that must give records


@case
def traditional(ws):
    ws.write("base.txt", TRADITIONAL)


def test_traditional_characters_give_the_same_rows(built, previous_rows):
    ws = built(traditional)
    assert without(ws.assert_built(), "source_sha256") == without(previous_rows, "source_sha256")
    assert "base.txt:1: written in traditional characters" in ws.stdout
    assert frictionless_errors(ws.out) == []


@case
def full_width(ws):
    ws.write("base.txt", BASE.translate(FULL_WIDTH))


def test_full_width_digits_give_the_same_rows(built, previous_rows):
    ws = built(full_width)
    assert "２０２５年" in (ws.seeds / "base.txt").read_text("utf-8")
    rows = ws.assert_built()
    assert without(rows, "source_sha256") == without(previous_rows, "source_sha256")
    assert {r["year"] for r in rows["targets"]} == {"2025"}
    assert "2.5%" in rows["measures"][-1]["text"]


PARAGRAPHS = ["各地要加快发展测试产业，完善政策体系。", "省级财政每年安排5亿元，支持重点项目建设。",
              "各地要加强组织领导，确保各项措施落地见效。"]


@case
def no_numbering(ws):
    ws.write("plain.txt", "关于加快测试产业发展的实施意见\n\n" + "\n\n".join(PARAGRAPHS) + "\n")


def test_a_document_without_numbering_gives_one_measure_per_paragraph(built):
    rows = built(no_numbering).assert_built()
    measures = rows["measures"]
    assert [m["text"] for m in measures] == PARAGRAPHS
    assert [m["label"] for m in measures] == ["", "", ""]
    assert [m["path"] for m in measures] == ["¶1", "¶2", "¶3"]
    assert [m["line_start"] for m in measures] == ["3", "5", "7"]
    assert [(a["text"], a["line"]) for a in rows["amounts"]] == [("5亿元", "5")]


@case
def numbering_skips(ws):
    ws.write("numbers.txt", "\n".join([
        "关于测试的实施方案",
        "一、总体要求。",
        "三、重点任务。",       # 二、 is missing
        "（一）加强领导。",
        "（一）完善政策。",     # （一） again
        "1.设立基金。",
        "1.优化服务。",         # 1. again
        "二、保障措施。",       # back to 二、
    ]) + "\n")


def test_numbering_that_skips_or_restarts_is_kept_as_printed_with_warnings(built):
    ws = built(numbering_skips)
    measures = ws.assert_built()["measures"]
    assert [m["label"] for m in measures] == ["一、", "三、", "（一）", "（一）", "1.", "1.", "二、"]
    assert [m["line_start"] for m in measures] == ["2", "3", "4", "5", "6", "7", "8"]
    by_id = {m["measure_id"]: m for m in measures}
    assert [by_id[m["parent_measure_id"]]["label"] if m["parent_measure_id"] else None for m in measures] == [
        None, None, "三、", "三、", "（一）", "（一）", None]
    for warning in ("numbers.txt:3: numbering skips from 一、 to 三、", "numbers.txt:5: numbering repeats",
                    "numbers.txt:7: numbering repeats", "numbers.txt:8: numbering goes back from 三、 to 二、"):
        assert warning in ws.stdout


@case
def cut_off(ws):
    data = BASE.encode()
    end = data.index("营业收入达到1000".encode(), data.index("二、".encode()))
    ws.write("base.txt", data[: end + 1])  # and inside the character 营


def test_a_text_cut_off_mid_clause_keeps_what_is_there_with_warnings(built, previous_rows):
    ws = built(cut_off)
    rows = ws.assert_built()
    # Everything before the cut reads as before; the last item ends where the text does.
    assert rows["measures"][:-1] == previous_rows["measures"][:-1]
    assert rows["measures"][-1]["text"] == "发展目标到2025年，测试产业"
    assert rows["amounts"] == previous_rows["amounts"][:3]
    assert "base.txt:11: the file ends inside a character (cut off?)" in ws.stdout
    assert "base.txt:11: the text ends mid-sentence (“…到2025年，测试产业”): is the file cut off?" in ws.stdout


@case
def bracket_unclosed_at_line_end(ws):
    ws.write("base.txt", BASE.replace("经济和信息化厅）\n（二）", "经济和信息化厅\n（二）"))


def test_an_unclosed_responsibility_bracket_at_the_end_of_an_item(built, previous_rows):
    """The closing bracket lost at a line end: the agencies are read all the same."""
    rows = built(bracket_unclosed_at_line_end).assert_built()
    assert rows["measure_agencies"] == previous_rows["measure_agencies"]
    assert rows["agencies"] == previous_rows["agencies"]


@case
def bracket_unclosed_mid_item(ws):
    ws.write("bracket.txt", "关于测试的实施方案\n一、加强组织。各地要加强领导（责任单位：财政厅、经济和信息化厅。"
             "各地要完善政策，加大投入。\n")


def test_an_unclosed_responsibility_bracket_mid_item_reads_no_sentence_as_an_agency(built):
    rows = built(bracket_unclosed_mid_item).assert_built()
    assert [a["mention"] for a in rows["measure_agencies"]] == ["财政厅", "经济和信息化厅"]


@case
def absurd_amounts(ws):
    ws.write("absurd.txt", "\n".join([
        "关于测试的实施方案",
        "一、加大投入。省级财政安排1e20 元支持测试，给予最高不超过500万元奖励。",
        "二、设立基金。另安排100000000000000000000亿元，每年安排5亿元。",
        "三、到2025年，测试产业营业收入达到1" + "0" * 400 + "元。",
    ]) + "\n")


def test_an_absurd_amount_is_not_published_and_named_in_a_warning(built):
    ws = built(absurd_amounts)
    rows = ws.assert_built()
    assert [a["text"] for a in rows["amounts"]] == ["最高不超过500万元", "5亿元"]
    assert all(float(a["max_cny"]) <= 1e15 for a in rows["amounts"])
    assert all(t["unit"] != "CNY" for t in rows["targets"])
    assert "absurd.txt:2: “1e20 元” is in scientific notation" in ws.stdout
    assert "absurd.txt:3: amount “100000000000000000000亿元” (1e+28 元) is beyond any budget" in ws.stdout
    assert "absurd.txt:4: amount" in ws.stdout and "absurd.txt:4: target" in ws.stdout
    assert frictionless_errors(ws.out) == []


def test_a_sum_in_scientific_notation_is_found_after_other_letters_e():
    from pipeline.checks import implausible_amounts
    from pipeline.classify import FileRecords

    for text, lines in (("说明：E类项目\n另安排2E+12元。\n合计3e8\u3000元。", ["2", "3"]),
                        ("网址：www.example.gov.cn\n另安排2E+12元。", ["2"]),
                        ("另安排2亿元，E类项目优先。", [])):
        warnings = implausible_amounts(FileRecords(rows={}), text, "x.txt")
        assert [w.split(":")[1] for w in warnings] == lines, text


@case
def same_text_twice(ws):
    ws.write("base.txt", BASE)
    ws.write("copy of base.txt", BASE)


def test_the_same_text_twice_is_read_once(built, previous_rows):
    ws = built(same_text_twice)
    assert ws.assert_built() == previous_rows
    assert "copy of base.txt: same text as base.txt" in ws.stdout
    descriptor = json.loads((ws.out / "datapackage.json").read_text("utf-8"))
    assert descriptor["skippedSources"] == [{"path": "copy of base.txt", "reason": "same text as base.txt"}]
    assert [s["title"] for s in descriptor["sources"]] == ["base.txt"]


@case
def same_text_in_two_encodings(ws):
    ws.write("base.txt", BASE)
    ws.write("copy in gbk.txt", BASE.encode("gbk"))


def test_the_same_text_in_two_encodings_is_read_once(built):
    assert len(built(same_text_in_two_encodings).assert_built()["documents"]) == 1


ODD_NAME = "四川 测试政策（2024 年）v2.txt"


@case
def odd_file_name(ws):
    ws.write(ODD_NAME, BASE)


def test_a_file_name_with_spaces_and_non_ascii_characters(built, previous_rows):
    ws = built(odd_file_name)
    rows = ws.assert_built()
    assert [d["source_file"] for d in rows["documents"]] == [ODD_NAME]
    ids = [r[key] for table, key in (("documents", "document_id"), ("measures", "measure_id"),
                                     ("amounts", "amount_id"), ("targets", "target_id"))
           for r in rows[table]]
    assert ids and all(SAFE_ID.match(i) for i in ids)
    assert len(rows["measures"]) == len(previous_rows["measures"])
    descriptor = json.loads((ws.out / "datapackage.json").read_text("utf-8"))
    assert descriptor["sources"][0]["path"] == f"seeds/{ODD_NAME}"


@case
def file_name_not_utf8(ws):
    ws.write("base.txt", BASE)
    fd = os.open(os.fsencode(ws.seeds) + b"/\xb2\xe2\xca\xd4.txt", os.O_WRONLY | os.O_CREAT)  # 测试 in GBK
    os.write(fd, BASE.replace("测试", "样例").encode())
    os.close(fd)


def test_a_file_name_that_is_not_utf8_fails_naming_it(built):
    message = built(file_name_not_utf8).assert_failed(r"\xb2\xe2\xca\xd4.txt", code="name")
    assert "not valid UTF-8" in message


@case
def no_readable_files(ws):
    (ws.seeds / "budget.xlsx").write_bytes(zip_archive())
    (ws.seeds / ".notes.txt").write_text(BASE, encoding="utf-8")  # hidden: left out


def test_a_seed_folder_without_files_a_reader_takes_is_exit_6(built):
    ws = built(no_readable_files)
    assert ws.run.returncode == EXIT_NO_INPUT and "Traceback" not in ws.run.stderr
    assert ws.run.stderr.strip() == (f"error: {ws.seeds}: no seed files (.txt, .md, .html, .htm, .docx, .pdf)"
                                     " (1 other file(s): budget.xlsx)")
    assert snapshot(ws.out) == ws.before


@case
def symlink_outside(ws):
    ws.write("base.txt", BASE)
    outside = ws.root / "elsewhere.txt"
    outside.write_text(BASE.replace("测试", "外部"), encoding="utf-8")
    (ws.seeds / "link.txt").symlink_to(outside)


def test_a_symlink_out_of_the_seed_folder_fails(built):
    ws = built(symlink_outside)
    message = ws.assert_failed("link.txt", code="symlink")
    assert str(ws.root / "elsewhere.txt") in message and "outside" in message


@case
def symlink_inside(ws):
    ws.write("base.txt", BASE)
    (ws.seeds / "alias.txt").symlink_to(ws.seeds / "base.txt")


def test_a_symlink_inside_the_seed_folder_is_a_duplicate_not_a_second_document(built):
    ws = built(symlink_inside)
    assert len(ws.assert_built()["documents"]) == 1  # the first name in file-name order is kept
    assert "base.txt: same text as alias.txt" in ws.stdout


# ---------------------------------------------------------------- strict and --keep-going


# Four unreadable files next to a good one, and the code each must be reported with.
BAD_FILES = {"blank.txt": "empty", "damaged.txt": "encoding", "link.txt": "symlink", "scan.txt": "binary"}


def write_bad_files(ws: Workspace) -> None:
    ws.write("base.txt", BASE)
    ws.write("blank.txt", b"")
    ws.write("damaged.txt", BASE.encode()[:100] + b"\xff" + BASE.encode()[100:])
    ws.write("scan.txt", png())
    outside = ws.root / "elsewhere.txt"
    outside.write_text(BASE, encoding="utf-8")
    (ws.seeds / "link.txt").symlink_to(outside)


@case
def bad_files_strict(ws):
    write_bad_files(ws)


def test_strict_build_names_every_unreadable_file_once(built):
    message = built(bad_files_strict).assert_failed("blank.txt")
    lines = message.splitlines()
    assert lines[0] == f"error: {len(BAD_FILES)} seed files could not be read:"
    assert len(lines) == 1 + len(BAD_FILES)
    for line, (name, code) in zip(lines[1:], BAD_FILES.items()):
        assert line.startswith(f"  {name}") and line.endswith(f"[{code}]")
        assert all(line.count(other) == (other == name) for other in BAD_FILES)


@case
def bad_files_keep_going(ws):
    write_bad_files(ws)
    ws.options = ["--keep-going"]


def test_keep_going_builds_the_rest_and_lists_every_skipped_file(built, previous_rows):
    ws = built(bad_files_keep_going)
    assert ws.assert_built() == previous_rows
    assert f"Skipped {len(BAD_FILES)} file(s):" in ws.stdout
    descriptor = json.loads((ws.out / "datapackage.json").read_text("utf-8"))
    skipped = {s["path"]: s["reason"] for s in descriptor["skippedSources"]}
    assert sorted(skipped) == sorted(BAD_FILES)
    for name, code in BAD_FILES.items():
        assert f"[{code}]" in skipped[name]
        assert f"  {name}: {skipped[name]}" in ws.stdout
    assert frictionless_errors(ws.out) == []


@case
def bad_file_with_workers(ws):
    ws.write("base.txt", BASE)
    ws.write("blank.txt", b"")
    ws.options = ["--workers", "2"]


def test_an_unreadable_file_is_reported_from_worker_processes_too(built):
    built(bad_file_with_workers).assert_failed("blank.txt", code="empty")


# A build whose segment stage fails on one text, as a bug would.
FAILING_SEGMENT = """
import pipeline.build as build
real = build.segment_file


def segment(lines, raw):
    if any("触发" in line for line in raw):
        raise IndexError("list index out of range")
    return real(lines, raw)


build.segment_file = segment
from pipeline.cli import main
main()
"""


@case
def stage_failure(ws):
    ws.write("base.txt", BASE)
    ws.write("trigger.txt", BASE.replace("测试", "触发"))
    ws.command = [sys.executable, "-c", FAILING_SEGMENT, *cli_command(ws.seeds, ws.out)[3:]]


def test_a_stage_failing_on_a_file_is_reported_not_a_traceback(built):
    """A bug that only some text triggers: the file is named, the status is distinct."""
    message = built(stage_failure).assert_failed("trigger.txt", code="internal", status=EXIT_INTERNAL)
    assert "the segment stage failed on this text (IndexError: list index out of range" in message
    assert "report it" in message


# ---------------------------------------------------------------- files that fail this time only


# The CLI, with one seed failing as it is read: deleted just before (`gone`), or an I/O error
# on a file that stays (`io-error`): argv = how, file name, CLI arguments.
FAILING_READ = """
import errno, pathlib, sys
import pipeline.build as build
how, name = sys.argv[1], sys.argv[2]
del sys.argv[1:3]
real_read, real_open = build.read_seed, pathlib.Path.open


def read_seed(path, seeds_dir):
    if path.name == name and how == "gone":
        path.unlink()
    return real_read(path, seeds_dir)


def open_failing(self, mode="r", *args, **kwargs):
    if self.name == name and mode == "rb" and how == "io-error":
        raise OSError(errno.EIO, "Input/output error", str(self))
    return real_open(self, mode, *args, **kwargs)


build.read_seed = read_seed
pathlib.Path.open = open_failing
from pipeline.cli import main
main()
"""
OTHER = BASE.replace("测试", "样例").replace("12号", "13号")


def failing_read(ws: Workspace, how: str, name: str, *options: str) -> None:
    ws.command = [sys.executable, "-c", FAILING_READ, how, name, *cli_command(ws.seeds, ws.out, *options)[3:]]


@case
def deleted_while_building(ws):
    ws.write("base.txt", BASE)
    ws.write("other.txt", OTHER)
    ws.deletes_a_seed = True
    failing_read(ws, "gone", "base.txt")


def test_a_seed_deleted_while_the_build_runs_is_reported_as_gone(built):
    message = built(deleted_while_building).assert_failed("base.txt", code="gone")
    assert message == "error: base.txt: gone: deleted or moved while the build ran [gone]"


@case
def deleted_while_building_keep_going(ws):
    deleted_while_building(ws)
    failing_read(ws, "gone", "base.txt", "--keep-going")


def test_with_keep_going_a_seed_gone_from_the_folder_is_withdrawn(built, previous):
    ws = built(deleted_while_building_keep_going)
    rows = ws.assert_built()
    assert [d["source_file"] for d in rows["documents"]] == ["other.txt"]
    assert "version 2.0.0, bump: major" in ws.stdout  # base.txt's rows removed: a withdrawal
    assert "  base.txt: gone: deleted or moved while the build ran [gone]\n" in ws.stdout
    assert "carried forward" not in ws.stdout


def carried(ws: Workspace, previous: Path, previous_rows) -> dict:
    """The build published the previous rows unchanged, said so, and recorded it."""
    assert ws.assert_built() == previous_rows
    for name in resource_names():  # the very bytes: same rows, same order
        assert (ws.out / f"{name}.csv").read_bytes() == (previous / f"{name}.csv").read_bytes()
    assert "version 1.0.1, bump: patch" in ws.stdout
    assert "base.txt: could not be read this time; its rows of version 1.0.0 are carried forward" in ws.stdout
    descriptor = json.loads((ws.out / "datapackage.json").read_text("utf-8"))
    before = json.loads((previous / "datapackage.json").read_text("utf-8"))
    assert descriptor["sources"] == before["sources"]
    assert frictionless_errors(ws.out) == []
    (skipped,) = descriptor["skippedSources"]
    return skipped


@case
def transient_read_error(ws):
    ws.write("base.txt", BASE)
    failing_read(ws, "io-error", "base.txt", "--keep-going")


def test_keep_going_carries_forward_the_rows_of_a_file_that_failed_to_read(built, previous, previous_rows):
    """An I/O error on a file that is still there is not a withdrawal: no MAJOR release."""
    ws = built(transient_read_error)
    skipped = carried(ws, previous, previous_rows)
    assert skipped == {"path": "base.txt", "reason": "cannot be read: Input/output error [unreadable]",
                       "carriedForward": "1.0.0"}
    assert ("  base.txt: cannot be read: Input/output error [unreadable]; its rows of version 1.0.0 "
            "were carried forward") in ws.stdout


@case
def corrupted_keep_going(ws):
    ws.write("base.txt", png())
    ws.options = ["--keep-going"]


def test_keep_going_carries_forward_the_rows_of_a_file_now_corrupt(built, previous, previous_rows):
    skipped = carried(built(corrupted_keep_going), previous, previous_rows)
    assert skipped["carriedForward"] == "1.0.0" and skipped["reason"].endswith("[binary]")


@case
def transient_read_error_strict(ws):
    ws.write("base.txt", BASE)
    failing_read(ws, "io-error", "base.txt")


def test_without_keep_going_a_read_error_fails_the_build(built):
    message = built(transient_read_error_strict).assert_failed("base.txt", code="unreadable")
    assert message == "error: base.txt: cannot be read: Input/output error [unreadable]"
