"""``luoshi parse`` on good and bad input, one file or a batch, in one process or several.

These tests check the command's contract (outputs, exit codes, one stderr line per bad
file), not how well the parser reads a plan: that is measured by the evaluation scorer.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from luoshi import textplan
from luoshi.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TINY = "一、总体要求\n（一）加强领导。\n"
HEADER = ["序号", "任务", "牵头单位", "配合单位", "目标", "完成时限"]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``luoshi ARGS`` in this process; return (exit code, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def labels(items: list[dict]) -> list[str]:
    """Every label of a plan JSON tree, depth first."""
    found = []
    for it in items:
        found.append(it["label"])
        found.extend(labels(it.get("children", [])))
    return found


def assert_one_line_per_bad_file(err: str, bad: list[Path | str]) -> None:
    lines = err.splitlines()
    assert "Traceback" not in err
    assert len(lines) == len(bad), err
    for line, path in zip(lines, bad, strict=True):
        assert line.startswith(f"luoshi parse: {path}: "), line
        assert len(line) > len(f"luoshi parse: {path}: ")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text(TINY, "utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of a dozen good documents: the bundled examples and small plans."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for src in sorted(EXAMPLES.glob("*.txt")):
        shutil.copyfile(src, folder / src.name)
    for i in range(8):
        (folder / f"small-{i}.txt").write_text(TINY + f"（二）第{i}项任务。\n", "utf-8")
    return folder


BAD_INPUTS = {
    "empty.txt": b"",
    "garbage.bin.txt": random.Random(1).randbytes(4096),
    # High bytes and control characters without NULs: no text encoding makes sense of it.
    "undecodable.txt": bytes(b for i in range(400) for b in (0x80 + i % 128, 0x01 + i % 8, 0xFF)),
    "corrupt.docx": random.Random(2).randbytes(2048),
}


# ---------------------------------------------------------------- one file


def test_json_to_stdout_is_a_plan(capsys, tiny):
    code, out, err = cli(capsys, "parse", str(tiny))
    assert (code, err) == (0, "")
    plan = json.loads(out)
    assert {"meta", "items"} <= plan.keys()
    assert isinstance(plan["items"], list)
    assert plan["source"] == "tiny.txt"


def test_json_keeps_the_label_as_written(capsys, tiny):
    # One of the few assertions on extraction: any parser must find 一、 and keep it as written.
    plan = json.loads(cli(capsys, "parse", str(tiny))[1])
    assert "一、" in labels(plan["items"])


def test_tree_to_stdout(capsys, tiny):
    code, out, err = cli(capsys, "parse", str(tiny), "--format", "tree")
    assert (code, err) == (0, "")
    assert out.endswith("\n")
    assert "文件: tiny.txt" in out
    assert not out.lstrip().startswith("{")


def test_tree_shows_the_first_item(capsys, tiny):
    out = cli(capsys, "parse", str(tiny), "--format", "tree")[1]
    assert "─ 一、总体要求" in out


def test_xlsx_is_a_ledger_with_title_and_header(capsys, tiny, tmp_path):
    dest = tmp_path / "out" / "ledger.xlsx"
    code, out, err = cli(capsys, "parse", str(tiny), "--format", "xlsx", "-o", str(dest))
    assert (code, out, err) == (0, "", "")
    ws = load_workbook(dest)["台账"]
    expected_title = textplan.parse_file(tiny).meta.title or "tiny"
    assert ws["A1"].value == expected_title
    assert [c.value for c in ws[2]][:6] == HEADER


def test_xlsx_needs_an_output_file(capsys, tiny):
    code, out, err = cli(capsys, "parse", str(tiny), "--format", "xlsx")
    assert code == 2
    assert out == ""
    assert err == "luoshi parse: xlsx 需要 -o 输出文件\n"


def test_one_file_with_o_writes_that_path(capsys, tiny, tmp_path):
    dest = tmp_path / "plan.json"
    assert cli(capsys, "parse", str(tiny), "-o", str(dest)) == (0, "", "")
    assert "items" in json.loads(dest.read_text("utf-8"))


def test_one_file_with_o_an_existing_folder_writes_name_inside(capsys, tiny, tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    assert cli(capsys, "parse", str(tiny), "-f", "tree", "-o", str(folder)) == (0, "", "")
    assert [p.name for p in folder.iterdir()] == ["tiny.txt"]


def test_o_ending_in_a_slash_names_a_folder_to_create(capsys, tiny, tmp_path):
    folder = tmp_path / "new"
    assert cli(capsys, "parse", str(tiny), "-o", f"{folder}/") == (0, "", "")
    assert [p.name for p in folder.iterdir()] == ["tiny.json"]


def test_an_output_that_cannot_be_created_is_one_line(capsys, tiny, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    code, out, err = cli(capsys, "parse", str(tiny), str(tiny), "-o", str(blocker / "out"))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"luoshi parse: {blocker / 'out'}: ")


# ---------------------------------------------------------------- batches


def test_several_files_go_to_a_folder_named_after_each_input(capsys, corpus, tmp_path):
    files = sorted(corpus.glob("small-*.txt"))[:3]
    out_dir = tmp_path / "new" / "out"
    assert cli(capsys, "parse", *map(str, files), "-o", str(out_dir)) == (0, "", "")
    assert sorted(p.name for p in out_dir.iterdir()) == [f.stem + ".json" for f in files]
    for p in out_dir.iterdir():
        assert {"meta", "items"} <= json.loads(p.read_text("utf-8")).keys()


@pytest.mark.parametrize(("fmt", "suffix"), [("json", ".json"), ("tree", ".txt"), ("xlsx", ".xlsx")])
def test_a_folder_means_every_document_in_it(capsys, tmp_path, fmt, suffix):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text(TINY, "utf-8")
    (folder / "sub" / "a.html").write_text(f"<html><body><p>{TINY}</p></body></html>", "utf-8")
    (folder / "notes.md").write_text(TINY, "utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG")
    (folder / ".hidden.txt").write_text(TINY, "utf-8")
    (folder / "~$lock.docx").write_bytes(b"\x00")
    out_dir = tmp_path / "out"
    assert cli(capsys, "parse", str(folder), "-f", fmt, "-o", str(out_dir)) == (0, "", "")
    assert sorted(p.name for p in out_dir.iterdir()) == ["a" + suffix, "b" + suffix]


def test_a_folder_without_documents_is_an_error(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    code, _, err = cli(capsys, "parse", str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert_one_line_per_bad_file(err, [tmp_path / "empty"])


def test_results_written_inside_the_input_folder_are_not_read_back(capsys, corpus):
    out_dir = corpus / "out"
    for _ in range(2):
        assert cli(capsys, "parse", str(corpus), "-f", "tree", "-o", str(out_dir)) == (0, "", "")
    assert len(list(out_dir.iterdir())) == len(list(corpus.glob("*.txt")))


def test_inputs_with_the_same_name_do_not_overwrite_each_other(capsys, tmp_path):
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "plan.txt").write_text(TINY, "utf-8")
    out_dir = tmp_path / "out"
    code, _, err = cli(capsys, "parse", str(tmp_path / "x"), str(tmp_path / "y"), "-o", str(out_dir))
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["plan-2.json", "plan.json"]
    assert "plan-2.json" in err


def test_several_files_without_o_print_trees_and_json_lines(capsys, corpus):
    files = [str(f) for f in sorted(corpus.glob("small-*.txt"))[:3]]
    code, out, err = cli(capsys, "parse", *files, "-f", "tree")
    assert (code, err) == (0, "")
    assert out.count("文件: small-") == 3
    code, out, err = cli(capsys, "parse", *files)
    assert (code, err) == (0, "")
    assert [json.loads(line)["source"] for line in out.splitlines()] == [Path(f).name for f in files]


def test_several_files_into_one_workbook_get_a_sheet_each(capsys, corpus, tmp_path):
    dest = tmp_path / "ledger.xlsx"
    assert cli(capsys, "parse", str(corpus), "-f", "xlsx", "-o", str(dest)) == (0, "", "")
    wb = load_workbook(dest)
    assert wb.sheetnames == sorted(p.stem for p in corpus.glob("*.txt"))
    for ws in wb:
        assert [c.value for c in ws[2]][:6] == HEADER


@pytest.mark.parametrize("fmt", ["json", "tree", "xlsx"])
def test_two_jobs_give_the_same_outputs_as_one(capfd, corpus, tmp_path, fmt):
    outputs = {}
    for jobs in ("1", "2"):
        out_dir = tmp_path / f"jobs{jobs}"
        assert main(["parse", str(corpus), "-f", fmt, "-o", str(out_dir), "--jobs", jobs]) == 0
        outputs[jobs] = {p.name: p for p in out_dir.iterdir()}
    assert capfd.readouterr().err == ""
    assert outputs["1"].keys() == outputs["2"].keys()
    assert len(outputs["1"]) == len(list(corpus.iterdir()))
    for name, path in outputs["1"].items():
        if fmt == "xlsx":  # the zip container records times; compare the cells
            assert _cells(path) == _cells(outputs["2"][name])
        else:
            assert path.read_bytes() == outputs["2"][name].read_bytes()


def test_two_jobs_print_to_stdout_in_input_order(capfd, corpus):
    results = []
    for jobs in ("1", "2"):
        assert main(["parse", str(corpus), "-f", "tree", "-j", jobs]) == 0
        results.append(capfd.readouterr())
    assert results[0].out == results[1].out
    assert results[1].err == ""


def _cells(path: Path) -> list[list[object]]:
    return [[c.value for c in row] for ws in load_workbook(path) for row in ws.iter_rows()]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_file_is_one_line_and_the_batch_goes_on(capfd, corpus, tmp_path, name, jobs):
    bad = corpus / name
    bad.write_bytes(BAD_INPUTS[name])
    out_dir = tmp_path / "out"
    code = main(["parse", str(corpus), "-o", str(out_dir), "--jobs", jobs])
    captured = capfd.readouterr()
    assert code == 1
    assert_one_line_per_bad_file(captured.err, [bad])
    good = {p.stem for p in corpus.iterdir()} - {bad.stem}
    assert {p.stem for p in out_dir.iterdir()} == good


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_a_bad_single_file_fails_with_one_line(capsys, tmp_path, name):
    bad = tmp_path / name
    bad.write_bytes(BAD_INPUTS[name])
    code, out, err = cli(capsys, "parse", str(bad))
    assert (code, out) == (1, "")
    assert_one_line_per_bad_file(err, [bad])


def test_a_missing_path_fails_with_one_line(capsys, tmp_path):
    missing = tmp_path / "no-such-plan.txt"
    code, out, err = cli(capsys, "parse", str(missing))
    assert (code, out) == (1, "")
    assert_one_line_per_bad_file(err, [missing])


def test_a_huge_argument_list_reports_each_missing_file_and_parses_the_rest(capsys, tiny, tmp_path):
    missing = [str(tmp_path / f"missing-{i:05}.txt") for i in range(3000)]
    out_dir = tmp_path / "out"
    code, out, err = cli(capsys, "parse", *missing, str(tiny), "-o", str(out_dir))
    assert (code, out) == (1, "")
    assert_one_line_per_bad_file(err, missing)
    assert [p.name for p in out_dir.iterdir()] == ["tiny.json"]


def test_an_unexpected_error_is_still_one_line(capsys, monkeypatch, tiny, tmp_path):
    def explode(path):
        raise RuntimeError("boom")

    # JSON and trees are written from a plan streamed item by item, workbooks from a whole plan
    monkeypatch.setattr(textplan, "stream_file", explode)
    monkeypatch.setattr(textplan, "parse_file", explode)
    code, out, err = cli(capsys, "parse", str(tiny))
    assert (code, out) == (1, "")
    assert_one_line_per_bad_file(err, [tiny])
    assert "RuntimeError: boom" in err


def test_ctrl_c_exits_130_quietly(capsys, monkeypatch, tiny):
    def interrupt(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(textplan, "stream_file", interrupt)
    monkeypatch.setattr(textplan, "parse_file", interrupt)
    assert cli(capsys, "parse", str(tiny)) == (130, "", "")


@pytest.mark.parametrize(
    "args", [["parse"], ["parse", "x.txt", "--jobs", "-1"], ["parse", "x.txt", "-f", "pdf"]]
)
def test_usage_errors_exit_2(capsys, args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


# ---------------------------------------------------------------- real processes


def run_luoshi(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_python_m_luoshi_parses_a_file(tiny, tmp_path):
    proc = run_luoshi("parse", str(tiny), cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert {"meta", "items"} <= json.loads(proc.stdout).keys()


def test_a_real_batch_with_bad_files_exits_1_without_a_traceback(corpus, tmp_path):
    bad = [corpus / name for name in sorted(BAD_INPUTS)]
    for path in bad:
        path.write_bytes(BAD_INPUTS[path.name])
    missing = corpus / "zz-missing.txt"
    proc = run_luoshi(
        "parse", str(corpus), str(missing), "-o", str(tmp_path / "out"), "-j", "2", cwd=tmp_path
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == len(bad) + 1
    for path in [*bad, missing]:
        assert f"luoshi parse: {path}: " in proc.stderr
    assert len(list((tmp_path / "out").iterdir())) == len(list(corpus.iterdir())) - len(bad)


def test_the_console_script_is_installed(tiny, tmp_path):
    script = Path(sys.executable).with_name("luoshi")
    if not script.exists():
        pytest.skip("the luoshi console script is not installed next to this Python")
    proc = subprocess.run(
        [str(script), "parse", str(tiny), "-f", "tree"], capture_output=True, text=True, timeout=120
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert "文件: tiny.txt" in proc.stdout
