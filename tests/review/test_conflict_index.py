"""The conflict index finds every expert who conflicts with an application (it only narrows the pairs
``conflicts`` is asked about): on random experts and applications sharing a few names and codes,
written in the ways people write them (blanks, full-width brackets, lower-case codes)."""

from __future__ import annotations

import random

from xl_awards.review.assignment import assign
from xl_awards.review.people import ConflictIndex, Expert, ReviewApplication, conflicts

UNITS = ["湘江大学", "岳麓研究院", "长沙 示例 咨询有限公司", "株洲（示例）检测中心", "洞庭学院"]
CODES = ["91430100MA4L000001", "91430100ma4l000001 ", "91430400MA4L000002", "430102199001011234"]


def people(seed: int):
    rng = random.Random(seed)
    pick = lambda values: rng.choice(values + [""])  # noqa: E731
    experts = [Expert(f"ZJ{i:02d}", f"专家{i}", employer=pick(UNITS), employer_code=pick(CODES[:3]),
                      id_number=pick(CODES[3:]), awards=("优秀服务机构",),
                      avoid=tuple(rng.sample(UNITS + CODES, rng.randint(0, 2))))
               for i in range(12)]
    apps = [ReviewApplication(f"JG{i:03d}", "institution", pick(UNITS) or f"机构{i}", award_name="优秀服务机构",
                              id_code=pick(CODES), unit=pick(UNITS), unit_code=pick(CODES[:3]))
            for i in range(60)]
    return experts, apps


def test_every_conflicting_expert_is_a_candidate():
    found = 0
    for seed in range(20):
        experts, apps = people(seed)
        index = ConflictIndex(experts)
        for app in apps:
            conflicting = {e.expert_id for e in experts if conflicts(e, app)}
            assert conflicting <= index.candidates(app), (seed, app)
            found += len(conflicting)
    assert found > 200  # the data do conflict, often


def test_the_assignment_records_each_conflict_found_pair_by_pair():
    experts, apps = people(7)
    result = assign(experts, apps, per_application=3, min_experts=3)
    for app in apps:
        expected = tuple((e.expert_id, tuple(conflicts(e, app))) for e in experts if conflicts(e, app))
        assert result.excluded[app.app_id] == expected
        chosen = result.by_application.get(app.app_id, ())
        assert not {eid for eid, _ in expected} & set(chosen)
