"""Publicity (SPEC section 6): working days, masking, the 公示名单, objections and the final list.
Pure core: may import base, edition, schema and scoring; never io, jobs, excel or demo.

Pure: no file I/O.  The job modules (``xl_awards.jobs.publicity`` / ``finalize``) read
the hub workbook, turn the ranking into ``Candidate`` lists and call these functions.

Working days
    The official Chinese calendar with its make-up workdays (``chinese_calendar``),
    overridden by the hub's ``节假日调整`` rows (休息日: not a working day; 工作日: a
    working day).  A date the calendar does not know (it raises NotImplementedError,
    e.g. 2027 with chinesecalendar 1.11.0) falls back to Monday–Friday plus the hub's
    adjustments, with an explicit warning for that year — never a silent guess.

    Publicity ends on the Nth working day counted from its first day.  When the
    given start is not a working day the publicity is taken to start on the next
    working day (a warning says so): the 公示开始 written is that working day.

The list
    Per list (``CATEGORIES`` order: window city tier, county tier, 服务之星, 优秀服务机构,
    优秀服务专家, 创新服务产品) the entries with status ``selected``, by rank.  A
    ``tie_pending`` entry is listed only once the hub has decided it: the hub
    changes its 状态 in the ``排名`` sheet from 并列待定 to 入选 (or 未入选); the
    ranking is recomputed from the hub's inputs and compared with the ``排名`` sheet,
    so a sheet that no longer matches the data (stale) is refused.  Prior
    awardees (2020) and ineligible entries are never listed.  Text written into
    the list passes ``mask_personal_info`` (no 身份证号码, no phone numbers).

Objections (finalize)
    The hub marks 撤销 = 是 (with 异议情况) on ``公示名单`` rows.  Those entries are
    removed and the places refilled, per list, from the ranked ``not_selected``
    entries in rank order.  A tied group at the new line larger than the places
    left is not cut: it is reported, and the hub picks by setting 状态 = 入选 on
    the chosen entries in the ``排名`` sheet, then runs finalize again.
"""
