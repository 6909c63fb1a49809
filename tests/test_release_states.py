"""A release history under any sequence of what users do (hypothesis, stateful).

Seeds are added, edited, removed, corrupted and added again; builds run with and without
--keep-going, and some are stopped by a signal while files are read or while the new package
is being put in place. Whatever the sequence: the package in place always validates, versions
never go backwards, the changelog has one entry per version (the last one the package's), a
build that fails or is stopped leaves the package byte-identical, and no build changes a file
outside --out (the seeds, a user's notes beside them).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from leftovers import snapshot

import pipeline.publish
from pipeline.build import build
from pipeline.errors import Interrupted, PipelineError
from pipeline.release import version_tuple
from pipeline.signals import stop_on_signals

NOTICE = """四川省人民政府办公厅
关于支持{what}产业发展的若干措施
川办发〔2024〕{number}号

各市（州）人民政府，省政府各部门：
一、加大财政支持
（一）设立专项资金。省级财政每年安排{amount}亿元，支持重点项目建设。（责任单位：财政厅）
（二）奖励龙头企业。对首次突破100亿元的企业，给予最高不超过{amount}00万元奖励。（责任单位：经济和信息化厅）

四川省人民政府办公厅
2024年3月1日
"""
NAMES = ("a.txt", "b.txt", "c.txt")
WHATS = ("测试", "样例", "示范")
CORRUPT = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
HEADING = re.compile(r"^## (\S+) — ", re.MULTILINE)


class ReleaseHistory(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="release-states-"))
        self.seeds = self.root / "seeds"
        self.seeds.mkdir()
        (self.root / "notes.txt").write_text("我自己的笔记，不属于任何数据包。\n", encoding="utf-8")
        self.out = self.root / "datapackage"
        self.removed: dict[str, bytes] = {}
        self.published: list[str] = []  # every version a build put in place, in order
        self.validated: str | None = None
        self.epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = "1700000000"

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        if self.epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = self.epoch

    @initialize(whats=st.lists(st.sampled_from(WHATS), min_size=1, max_size=2, unique=True))
    def first_release(self, whats):
        for name, what in zip(NAMES, whats):
            self.add_or_overwrite(name, what, 5)
        self.run(keep_going=False)
        assert self.published == ["1.0.0"]

    # ------------------------------------------------------------ what users do to the seeds

    def present(self) -> list[str]:
        return sorted(p.name for p in self.seeds.iterdir())

    @rule(name=st.sampled_from(NAMES), what=st.sampled_from(WHATS), amount=st.integers(1, 9))
    def add_or_overwrite(self, name, what, amount):
        number = 10 + NAMES.index(name)
        (self.seeds / name).write_text(NOTICE.format(what=what, number=number, amount=amount), encoding="utf-8")
        self.removed.pop(name, None)

    @precondition(lambda self: self.present())
    @rule(data=st.data(), amount=st.integers(1, 9))
    def edit_an_amount(self, data, amount):
        path = self.seeds / data.draw(st.sampled_from(self.present()))
        text = path.read_bytes()
        if text != CORRUPT:
            path.write_bytes(re.sub(rb"\d\xe4\xba\xbf", str(amount).encode() + "亿".encode(), text, count=1))

    @precondition(lambda self: self.present())
    @rule(data=st.data())
    def remove(self, data):
        path = self.seeds / data.draw(st.sampled_from(self.present()))
        self.removed[path.name] = path.read_bytes()
        path.unlink()

    @precondition(lambda self: self.present())
    @rule(data=st.data())
    def corrupt(self, data):
        (self.seeds / data.draw(st.sampled_from(self.present()))).write_bytes(CORRUPT)

    @precondition(lambda self: self.removed)
    @rule(data=st.data())
    def add_again(self, data):
        name = data.draw(st.sampled_from(sorted(self.removed)))
        (self.seeds / name).write_bytes(self.removed.pop(name))

    # ------------------------------------------------------------ builds

    def outside(self) -> dict[str, bytes]:
        """Every file outside --out, but the lock file the builds share."""
        return {k: v for k, v in snapshot(self.root).items()
                if not k.startswith("datapackage/") and k != ".datapackage.lock"}

    def run(self, keep_going: bool, stop: str | None = None) -> None:
        outside, before = self.outside(), snapshot(self.out) if self.out.exists() else None
        published = False
        try:
            if stop is None:
                summary = build(self.seeds, self.out, keep_going=keep_going)
            else:
                with stop_on_signals():
                    summary = build(self.seeds, self.out, keep_going=keep_going,
                                    on_done=(lambda result: os.kill(os.getpid(), signal.SIGTERM))
                                    if stop == "reading" else lambda result: None)
            published = True
            event(f"build{' stopped while ' + stop if stop else ''}: published"
                  + (", rows carried forward" if summary.carried else ""))
        except Interrupted as interrupted:
            published = interrupted.published
            event(f"build stopped while {stop}: {'published' if published else 'nothing published'}")
        except PipelineError as error:
            event(f"build{' stopped while ' + stop if stop else ''}: failed with exit status {error.exit_status}")
        assert self.outside() == outside
        assert [p.name for p in self.root.glob(".datapackage.*")] in ([], [".datapackage.lock"])  # no staging left
        if published:
            self.published.append(self.descriptor()["version"])
        elif before is None:
            assert not self.out.exists()
        else:
            assert snapshot(self.out) == before

    @rule(keep_going=st.booleans())
    def build(self, keep_going):
        self.run(keep_going)

    @rule(keep_going=st.booleans())
    def build_stopped_while_reading(self, keep_going):
        self.run(keep_going, stop="reading")

    @rule(keep_going=st.booleans())
    def build_stopped_while_swapping(self, keep_going):
        exchange = pipeline.publish.exchange

        def signalled(a, b):
            os.kill(os.getpid(), signal.SIGTERM)
            return exchange(a, b)

        pipeline.publish.exchange = signalled
        try:
            self.run(keep_going, stop="swapping")
        finally:
            pipeline.publish.exchange = exchange

    # ------------------------------------------------------------ invariants

    def descriptor(self) -> dict:
        return json.loads((self.out / "datapackage.json").read_text("utf-8"))

    @invariant()
    def versions_never_go_backwards(self):
        versions = [version_tuple(v) for v in self.published]
        assert versions == sorted(versions)

    @invariant()
    def the_changelog_has_one_entry_per_version(self):
        if not self.out.exists():
            return
        headings = HEADING.findall((self.out / "CHANGELOG.md").read_text("utf-8"))
        assert len(headings) == len(set(headings))
        assert headings[-1] == self.descriptor()["version"]
        assert set(self.published) <= set(headings)

    @invariant()
    def the_package_validates(self):
        if not self.out.exists() or self.descriptor()["version"] == self.validated:
            return
        from frictionless import Package

        report = Package(str(self.out / "datapackage.json")).validate()
        assert report.valid, report.flatten(["type", "message"])[:5]
        self.validated = self.descriptor()["version"]


ReleaseHistory.TestCase.settings = settings(
    max_examples=10, stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestReleaseHistory = ReleaseHistory.TestCase
