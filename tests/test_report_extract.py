"""The reading of the bundled sample and of the shared corpus, scored with the shared tools; sources and bad input."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.report.extract import read_bytes, read_file, read_text
from desktop.report.model import ReportError

ROOT = Path(__file__).resolve().parents[1]


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_extraction", shared / "tools" / "score_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed_reading(sample_path):
    return read_file(sample_path)


def test_seed_scores_full_marks_on_the_shared_gold(seed_reading, shared_dir):
    se = _scorer(shared_dir)
    gold = json.loads((shared_dir / "gold" / "hangzhou-sfj-2023.json").read_text(encoding="utf-8"))
    pred = seed_reading.to_json_dict()
    ind = se.score_indicators(gold["indicators"], pred["indicators"], False)
    assert ind["f1"] >= 0.98 and ind["value_accuracy"] == 1.0 and ind["change_accuracy"] == 1.0
    assert se.score_plans(gold["plans"], pred["work_items"], False)["f1"] == 1.0
    assert se.score_outline(gold["structure"], pred["outline"], False)["accuracy"] == 1.0
    assert se.score_metadata(gold["metadata"], pred["metadata"], False)["accuracy"] == 1.0


def test_seed_metadata_all_fields(seed_reading, shared_dir):
    gold = json.loads((shared_dir / "gold" / "hangzhou-sfj-2023.json").read_text(encoding="utf-8"))["metadata"]
    md = seed_reading.metadata.to_dict()
    for key, value in gold.items():
        assert md[key] == value, key


def test_seed_body_once_without_page_furniture(seed_reading):
    text = seed_reading.clean_text
    assert text.count("2023年,在市委、市政府的正确领导下") == 1
    assert text.count("提升群众的知晓率、支持率和满意度。") == 1
    for furniture in ("加入收藏", "【打印】", "信息索引号", "浏览次数", "\xa0"):
        assert furniture not in text
    assert text.startswith("杭州市司法局2023年法治政府建设年度报告\n")


def test_every_offset_slices_the_clean_text(seed_reading, offsets_hold):
    offsets_hold(seed_reading)
    assert seed_reading.indicators and seed_reading.work_items  # the check had something to check


def test_seed_sections_and_work_items(seed_reading):
    chapters = seed_reading.outline
    assert [c.role for c in chapters] == ["achievements", "problems", "first_responsible", "plans"]
    assert [len(c.children) for c in chapters] == [8, 3, 0, 3]
    kinds = [w.kind for w in seed_reading.work_items]
    assert kinds.count("achievement") == 8 and kinds.count("problem") == 3
    assert kinds.count("plan_theme") == 3 and kinds.count("plan_task") == 11
    assert seed_reading.doc_kind == "annual_report"
    by_path = {i.section for i in seed_reading.indicators}
    assert "preamble" in by_path and "一.(八)" in by_path


def _corpus_golds(shared: Path):
    return sorted(p for p in (shared / "gold").glob("*.json") if p.stem != "hangzhou-sfj-2023")


def test_corpus_extracts_and_scores(shared_dir):
    se = _scorer(shared_dir)
    tp = n_pred = n_gold = out_ok = out_n = md_ok = md_n = 0
    files = _corpus_golds(shared_dir) + [shared_dir / "gold" / "hangzhou-sfj-2023.json"]
    for gpath in files:
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        pred = read_file(shared_dir / gold["source"]).to_json_dict()
        json.dumps(pred, ensure_ascii=False)  # serialisable
        r = se.score_indicators(gold.get("indicators", []), pred["indicators"], False)
        tp, n_pred, n_gold = tp + r["matched"], n_pred + r["predicted"], n_gold + r["gold"]
        outline = (se.score_outline(gold["structure"], pred["outline"], False) if "structure" in gold
                   else se.score_outline_prefix(gold["structure_prefix"], pred["outline"], False))
        out_ok, out_n = out_ok + outline["passed"], out_n + outline["checks"]
        md = se.score_metadata(gold.get("metadata", {}), pred["metadata"], False)
        md_ok, md_n = md_ok + md["passed"], md_n + md["fields"]
    _, _, f1 = se.f1(tp, n_pred, n_gold)
    assert f1 >= 0.97
    assert out_ok / out_n >= 0.90
    assert md_ok / md_n >= 0.90


def test_corpus_document_kinds(shared_dir):
    kinds = {p.stem: read_file(shared_dir / "corpus" / f"{p.stem}.txt").doc_kind for p in _corpus_golds(shared_dir)}
    assert kinds["038"] == kinds["039"] == "work_plan"
    assert all(k == "annual_report" for name, k in kinds.items() if name not in {"038", "039"})


def test_pinyin_glosses_are_removed(shared_dir):
    reading = read_file(shared_dir / "corpus" / "036.txt")
    assert "(yīng)" not in reading.clean_text and "應急管理部" in reading.clean_text
    assert any("拼音" in w for w in reading.warnings)


def test_work_plan_tasks_and_owners():
    reading = read_text("某市2024年法治政府建设工作要点\n一、重点任务\n（一）加强党的领导。\n"
                        "1.深入学习贯彻习近平法治思想。（牵头单位：市委依法治市办；配合单位：各区县政府）\n"
                        "2.落实述法制度，2024年6月底前完成述法评议。\n责任单位：市司法局\n")
    tasks = [w for w in reading.work_items if w.kind == "plan_task"]
    assert reading.doc_kind == "work_plan" and reading.metadata.plan_year == 2024
    assert [t.text for t in tasks] == ["深入学习贯彻习近平法治思想。", "落实述法制度，2024年6月底前完成述法评议。"]
    assert (tasks[0].lead_unit, tasks[0].partner_units) == ("市委依法治市办", "各区县政府")
    assert (tasks[1].lead_unit, tasks[1].deadline) == ("市司法局", "2024年6月底前")


def test_roles_by_meaning_not_position():
    reading = read_text("某区2023年法治政府建设情况报告\n2023年，我区推进法治政府建设。\n"
                        "一、区政府主要负责人履行推进法治建设第一责任人职责情况\n主持召开常务会议4次。\n"
                        "二、2024年工作打算\n（一）加强立法。推进重点领域立法。\n"
                        "三、存在的问题和不足\n（一）基层力量薄弱。人员不足。\n"
                        "四、主要工作和成效\n（一）完善制度。出台文件12件。\n五、其他需要报告的情况\n无。\n")
    assert [c.role for c in reading.outline] == ["first_responsible", "plans", "problems", "achievements", "other"]


def test_lost_line_breaks_are_restored():
    reading = read_text("某县2023年度法治政府建设情况报告\n2023年，我县推进法治政府建设，取得成效。现将有关情况报告如下。"
                        "一、主要工作及成效（一）健全依法决策机制。全年审查重大行政决策12件。"
                        "二、存在的问题（一）基层法治力量薄弱。部分乡镇法治工作人员不足。")
    assert [c.title for c in reading.outline] == ["主要工作及成效", "存在的问题"]
    assert [c.children[0].title for c in reading.outline] == ["健全依法决策机制", "基层法治力量薄弱"]


def test_text_without_headings_is_read_with_a_warning():
    reading = read_text("这是一段没有标题的文字，共处理3件事情。")
    assert reading.outline == () and any("章节" in w for w in reading.warnings)
    assert [i.text for i in reading.indicators] == ["3件"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_encodings(sample_path, encoding, seed_reading):
    text = sample_path.read_text(encoding="utf-8")
    if encoding == "gbk":  # GBK has no NBSP and no bullet; pages in GBK use a middle dot
        text = text.replace("\xa0", " ").replace("\u2022", "·")
    data = text.encode(encoding)
    reading = read_bytes(data, f"seed.{encoding}.txt")
    assert reading.clean_text == seed_reading.clean_text


def test_html_page(sample_path, seed_reading):
    body = "".join(f"<p>{line}</p>" for line in sample_path.read_text(encoding="utf-8").splitlines())
    page = ("<html><head><meta charset='gbk'><title>x</title><script>var a='一、假标题';</script>"
            "<style>p{color:red}</style></head><body><nav>首页 > 政务公开</nav>"
            f"<div class='article'>{body}</div><footer>版权所有</footer></body></html>")
    reading = read_bytes(page.encode("gbk", errors="ignore"), "page.html")
    assert "假标题" not in reading.clean_text and "版权所有" not in reading.clean_text
    assert reading.metadata.title == seed_reading.metadata.title
    assert len(reading.indicators) == len(seed_reading.indicators)


def test_reading_is_stable_on_its_own_clean_text(seed_reading):
    again = read_text(seed_reading.clean_text)
    assert again.clean_text == seed_reading.clean_text
    assert [i.start for i in again.indicators] == [i.start for i in seed_reading.indicators]


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "main.py", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "文件为空"),
    ("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
    ("broken.txt", bytes((0x80 + (i * 37) % 120) for i in range(3000)), "编码"),
], ids=["empty", "png", "undecodable"])
def test_bad_input_gives_one_line_and_status_2(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    run = _cli("extract", str(path))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and reason in lines[0]


def test_directory_and_missing_file(tmp_path):
    for target, reason in ((tmp_path, "文件夹"), (tmp_path / "nope.txt", "不存在")):
        run = _cli("extract", str(target))
        assert run.returncode == 2 and reason in run.stderr and "Traceback" not in run.stderr


def test_oversized_file_is_refused_with_the_limit(tmp_path, monkeypatch):
    from desktop.report import sources

    monkeypatch.setattr(sources, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes("法治".encode() * 1000)
    with pytest.raises(ReportError, match="上限"):
        read_file(path)


def test_extract_cli_json_and_tree(sample_path):
    run = _cli("extract", str(sample_path), "--json")
    assert run.returncode == 0
    data = json.loads(run.stdout)
    assert {"clean_text", "metadata", "outline", "indicators", "work_items"} <= set(data)
    tree = _cli("extract", str(sample_path))
    assert tree.returncode == 0
    assert "（八）着力提升行政复议办案质效" in tree.stdout and "指标 8" in tree.stdout


def test_fifty_megabyte_file_is_refused_naming_the_limit(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:  # sparse: no 50 MB written to disk
        fh.truncate(50 * 1024 * 1024)
    run = _cli("extract", str(path))
    assert run.returncode == 2 and "上限为 10 MB" in run.stderr and "Traceback" not in run.stderr


def test_sign_off_and_attachments_belong_to_no_section():
    reading = read_text("某市司法局2023年法治政府建设年度报告\n2023年，市司法局推进法治政府建设，取得成效。\n"
                        "一、主要举措和成效\n全年办理案件300件，比2022年增加120件，办件量突破1.2万。\n"
                        "二、存在的不足和原因\n一是基层力量薄弱；二是执法规范化水平不高。\n"
                        "三、2024年工作安排\n（一）加强立法。推进重点领域立法。\n附件：1.重点任务清单\n某市司法局\n2024年3月1日")
    tasks = [w.text for w in reading.work_items if w.kind == "plan_task"]
    assert tasks == ["推进重点领域立法。"]
    assert reading.outline[-1].end <= reading.clean_text.index("附件")
    # nothing at the top dates the page, so the sign-off's date is its date too
    assert reading.metadata.written == "2024-03-01" and reading.metadata.published == "2024-03-01"
    assert reading.metadata.issuer == "某市司法局"
    # chapters without sub-sections still give one achievement and one problem item
    assert [w.kind for w in reading.work_items][:2] == ["achievement", "problem"]
    figures = {i.text: i for i in reading.indicators}
    assert figures["300件"].change.value == 120 and figures["300件"].change.basis == "vs_year"
    assert figures["1.2万"].value == 12000


def test_task_division_table_gives_tasks_with_owners():
    page = ("<html><body><h2>某市2024年法治政府建设重点任务分工方案</h2><table>"
            "<tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>配合单位</td><td>完成时限</td></tr>"
            "<tr><td>1</td><td>制定年度立法计划并组织实施</td><td>市司法局</td><td>市有关部门</td><td>2024年3月底前</td></tr>"
            "<tr><td>2</td><td>开展行政执法案卷评查</td><td>市司法局</td><td></td><td>2024年11月底前</td></tr>"
            "</table></body></html>")
    reading = read_bytes(page.encode("utf-8"), "division.html")
    assert reading.doc_kind == "work_plan" and reading.metadata.plan_year == 2024
    tasks = [(w.text, w.lead_unit, w.partner_units, w.deadline) for w in reading.work_items if w.kind == "plan_task"]
    assert tasks == [("制定年度立法计划并组织实施", "市司法局", "市有关部门", "2024年3月底前"),
                     ("开展行政执法案卷评查", "市司法局", None, "2024年11月底前")]


def test_issuer_from_year_first_and_joint_titles():
    from desktop.report.metadata import _org_from_title

    assert _org_from_title("2023年度杭州市司法局法治政府建设情况报告") == "杭州市司法局"
    assert _org_from_title("中共杭州市委杭州市人民政府关于2023年法治政府建设情况的报告") == "中共杭州市委杭州市人民政府"
    assert _org_from_title("静海区2023年度法治政府建设情况报告") is None  # a place, not an office


def test_word_document(sample_path, seed_reading):
    import io

    import docx
    document = docx.Document()
    for line in sample_path.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    reading = read_bytes(buffer.getvalue(), "report.docx")
    assert reading.clean_text == seed_reading.clean_text
    assert len(reading.indicators) == 43
    with pytest.raises(ReportError, match="Word"):
        read_bytes(b"PK\x03\x04" + b"not a word file" * 20, "broken.docx")


def test_output_closed_early_is_not_an_error(sample_path):
    run = subprocess.run(f'"{sys.executable}" main.py extract "{sample_path}" --json | head -c 10', shell=True,
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr


def test_an_interpretation_of_a_report_is_not_a_report():
    reading = read_text("【政策解读】关于《某县人民政府关于某县2023年度法治政府建设工作总结的报告》的政策解读\n"
                        "按照省市要求，我县总结2023年全县法治政府建设工作，现解读如下：\n"
                        "一、起草背景\n党中央、国务院高度重视法治政府建设。\n二、起草过程\n县司法局起草了报告。\n")
    assert reading.doc_kind == "other"
    assert [c.role for c in reading.outline] == ["other", "other"]
    assert not [w for w in reading.work_items if w.kind in {"achievement", "plan_task"}]


@pytest.mark.parametrize("header, published_at", [
    ("文章来源:司法局 更新时间:2021/03/29 11:30:01", "2021-03-29 11:30:01"),  # only an update time
    ("浏览次数:信息来源: 区司法局发布时间:2025-11-07 16:34", "2025-11-07 16:34"),  # labels glued together
])
def test_page_header_variants(header, published_at):
    reading = read_text(f"今天是:2019年10月31日 星期三 农历十月初七\n字体大小:【\n某区2020年法治政府建设情况报告\n{header}\n"
                        "2020年，某区坚持依法行政，推进法治政府建设，取得成效。\n一、主要举措和成效\n（一）完善制度。出台文件12件。\n")
    assert reading.metadata.published_at == published_at
    assert reading.clean_text.startswith("某区2020年法治政府建设情况报告\n2020年")
