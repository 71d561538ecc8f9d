"""Write degraded copies of the dev documents, the forms real pages take, to score robustness.

    python scripts/degrade-dev.py DEV_DIR OUT_DIR

For every NAME.txt with NAME.gold.json it writes NAME__oneline.txt (all on one line),
NAME__trad.txt (traditional characters with scraped pinyin junk) and NAME__furniture.txt
(inside a site's navigation and footer), each beside a copy of the gold.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import opencc

JUNK = ["(fā)", "(guó)", "(jìn)", "(wù)", "(zhèn)", "(tǐ)", "(gè)"]
HEADER = (
    "网站首页 | 政务公开 | 政务服务 | 互动交流\n无障碍 长者模式 登录 注册\n"
    "您当前的位置：首页 > 政务公开 > 规划计划 > 工作方案\n字号：大 中 小  打印  关闭\n"
)
FOOTER = (
    "\n分享到：微信 微博 QQ空间\n上一篇：2.关于召开全市重点工作调度会的通知\n"
    "下一篇：3.市政府办公室2023年第1号公告\n相关链接 1.国务院 2.省政府 3.市政府\n"
    "主办单位：某某市人民政府办公室 备案号：粤ICP备12345678号 网站标识码4413000001\n"
)


def main(src: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    s2t = opencc.OpenCC("s2t")
    rnd = random.Random(7)
    for gold in sorted(src.glob("*.gold.json")):
        name = gold.name[: -len(".gold.json")]
        doc = src / f"{name}.txt"
        if not doc.exists():
            continue
        text = doc.read_text(encoding="utf-8")
        variants = {
            "oneline": "".join(line.strip() for line in text.splitlines()),
            "trad": "".join(
                ch + (rnd.choice(JUNK) if "\u4e00" <= ch <= "\u9fff" and rnd.random() < 0.04 else "")
                for ch in s2t.convert(text)
            ),
            "furniture": HEADER + text + FOOTER,
        }
        for kind, body in variants.items():
            (out / f"{name}__{kind}.txt").write_text(body, encoding="utf-8")
            shutil.copy(gold, out / f"{name}__{kind}.gold.json")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
