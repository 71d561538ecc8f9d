"""Imported once by the fork server of ``textplan.isolated``: parsing a small sample here loads
the rule tables, compiles the patterns and opens the converter's dictionaries, so every child
forked from it starts with them (a cold first parse costs ~90 ms, a warm one under 1 ms)."""

from luoshi.textplan import parse_text

parse_text("示例方案\n一、工作\n（一）開展研究，2024年底前完成5項。（牵头单位：市交通运输局；配合单位：市统计局）\n")
