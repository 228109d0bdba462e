"""
The trainer's side of an export: a snapshot produced by the real pipeline (events -> curation with
examples/support-assistant.yaml -> export) must load with pyarrow and Hugging Face `datasets`
exactly as its manifest describes, keep tool-call arguments as objects, keep users on one side of
the train/eval split, and contain none of the PII canaries planted in the events.

Run from the repository root (node_modules/.bin first on PATH, so `node` is Node 24):
    python -m pytest services/export/test/python -q
"""

import hashlib
import json
import os
import subprocess
from collections import defaultdict
from pathlib import Path

# Before `datasets` is imported: it must never reach the Hub, in CI or anywhere else.
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

import datasets  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[4]
MAKE_SNAPSHOT = Path(__file__).with_name("make-snapshot.ts")


def make_snapshot(work):
    # The `node` on PATH must be Node >= 22 (it runs .ts directly): CI puts node_modules/.bin first.
    result = subprocess.run(["node", str(MAKE_SNAPSHOT), str(work)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"make-snapshot.ts failed ({result.returncode}):\n{result.stderr[-4000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory):
    work = tmp_path_factory.mktemp("snapshot")
    info = make_snapshot(work)
    info["dir"] = Path(info["snapshot_dir"])
    info["blob_root"] = work / "blobs"
    info["manifest"] = json.loads(Path(info["manifest_path"]).read_text())
    info["cache"] = str(tmp_path_factory.mktemp("hf-cache"))
    return info


def parquet_configs(manifest):
    return [name for name, c in manifest["configs"].items() if c["file_type"] == "parquet" and manifest["counts"][name]]


def files_by_split(manifest, config, root):
    splits = defaultdict(list)
    for f in manifest["files"]:
        if f.get("config") == config:
            splits[f["split"]].append(str(root / f["path"]))
    return dict(splits)


def assert_matches_manifest(ds_dict, manifest, config):
    expected = datasets.Features.from_dict(manifest["configs"][config]["features"])
    assert set(ds_dict.keys()) == set(manifest["counts"][config].keys())
    for split, ds in ds_dict.items():
        assert ds.column_names == list(manifest["configs"][config]["columns"].keys())
        assert ds.features == expected, f"{config}/{split}: {ds.features} != {expected}"
        assert ds.num_rows == manifest["counts"][config][split]


def test_the_snapshot_has_every_config_and_both_splits(snapshot):
    counts = snapshot["manifest"]["counts"]
    assert set(counts) == {"sft", "prompt_completion", "preference", "kto", "rl", "openai_chat", "openai_dpo"}
    for config in ("sft", "preference", "kto", "rl"):
        assert counts[config].get("train", 0) > 0 and counts[config].get("eval", 0) > 0, (config, counts[config])
    assert any(len(files_by_split(snapshot["manifest"], c, snapshot["dir"]).get("train", [])) > 1 for c in counts)


def test_another_process_with_the_same_inputs_writes_byte_identical_files(snapshot, tmp_path):
    again = make_snapshot(tmp_path)
    assert again["id"] == snapshot["id"]
    second = json.loads(Path(again["manifest_path"]).read_text())
    # The card names the curation run, whose id is fresh per run; every data file is identical.
    hashes = lambda m: [(f["path"], f["sha256"]) for f in m["files"] if f["path"] != "README.md"]  # noqa: E731
    assert hashes(second) == hashes(snapshot["manifest"])
    assert len(hashes(second)) == len(second["files"]) - 1


def test_manifest_hashes_and_sizes_match_the_files(snapshot):
    listed = set()
    for f in snapshot["manifest"]["files"]:
        data = (snapshot["dir"] / f["path"]).read_bytes()
        assert len(data) == f["bytes"], f["path"]
        assert hashlib.sha256(data).hexdigest() == f["sha256"], f["path"]
        listed.add(f["path"])
    on_disk = {str(p.relative_to(snapshot["dir"])) for p in snapshot["dir"].rglob("*") if p.is_file()}
    assert on_disk - listed == {"manifest.json"}


@pytest.mark.parametrize("config", ["sft", "prompt_completion", "preference", "kto", "rl"])
def test_each_config_loads_with_parquet_data_files(snapshot, config):
    data_files = files_by_split(snapshot["manifest"], config, snapshot["dir"])
    ds = datasets.load_dataset("parquet", data_files=data_files, cache_dir=snapshot["cache"])
    assert_matches_manifest(ds, snapshot["manifest"], config)


@pytest.mark.parametrize("config", ["sft", "prompt_completion", "preference", "kto", "rl"])
def test_each_config_loads_through_the_dataset_card(snapshot, config):
    ds = datasets.load_dataset(str(snapshot["dir"]), config, cache_dir=snapshot["cache"])
    assert_matches_manifest(ds, snapshot["manifest"], config)


def test_the_default_config_is_sft_and_streams(snapshot):
    ds = datasets.load_dataset(str(snapshot["dir"]), cache_dir=snapshot["cache"])
    assert_matches_manifest(ds, snapshot["manifest"], "sft")
    streamed = datasets.load_dataset(str(snapshot["dir"]), "rl", split="train", streaming=True)
    first = next(iter(streamed))
    assert set(first) == {"data_source", "prompt", "ability", "reward_model", "extra_info"}


def test_pyarrow_reads_every_shard_with_the_manifest_row_counts(snapshot):
    for f in snapshot["manifest"]["files"]:
        if not f["path"].endswith(".parquet"):
            continue
        table = pq.read_table(snapshot["dir"] / f["path"])
        assert table.num_rows == f["rows"], f["path"]
        if f.get("config"):
            assert table.column_names == list(snapshot["manifest"]["configs"][f["config"]]["columns"].keys())
            meta = pq.ParquetFile(snapshot["dir"] / f["path"]).metadata
            assert meta.row_group(0).column(0).compression == "ZSTD"


def tool_calls(messages):
    return [call for m in messages if m["tool_calls"] for call in m["tool_calls"]]


def test_tool_call_arguments_are_objects_with_exactly_their_own_keys(snapshot):
    # Lookups have no signal (sft only); search_kb chats were escalated (kto only): read both.
    ds = datasets.load_dataset(str(snapshot["dir"]), "kto", split="train", cache_dir=snapshot["cache"])
    sft = datasets.load_dataset(str(snapshot["dir"]), "sft", split="train", cache_dir=snapshot["cache"])
    calls = [call for row in ds for call in tool_calls(row["completion"])] + [call for row in sft for call in tool_calls(row["messages"])]
    assert calls, "the fixture has tool calls"
    shapes = {call["function"]["name"]: set(call["function"]["arguments"]) for call in calls}
    # No unified struct: each call keeps its own keys, none padded with None from the other tool.
    assert shapes == {"lookup_order": {"order_id", "contact"}, "search_kb": {"query", "limit", "filters"}}
    search = next(c for c in calls if c["function"]["name"] == "search_kb")
    assert isinstance(search["function"]["arguments"]["limit"], int)
    assert search["function"]["arguments"]["filters"] == {"region": ["eu"]}
    row = next(r for r in ds if r["tools"])
    assert {t["function"]["name"] for t in json.loads(row["tools"])} == {"lookup_order", "search_kb"}
    # pyarrow sees the same leaf as the canonical JSON extension type over UTF-8 text.
    table = pq.read_table(files_by_split(snapshot["manifest"], "sft", snapshot["dir"])["train"][0])
    function_type = table.schema.field("messages").type.value_type.field("tool_calls").type.value_type.field("function").type
    assert isinstance(function_type.field("arguments").type, pa.JsonType)


def test_kto_labels_are_booleans_and_rl_has_verl_columns(snapshot):
    kto = datasets.load_dataset(str(snapshot["dir"]), "kto", split="train", cache_dir=snapshot["cache"])
    assert set(kto.unique("label")) == {True, False}
    rl = datasets.load_dataset(str(snapshot["dir"]), "rl", cache_dir=snapshot["cache"])
    for split, ds in rl.items():
        infos = ds["extra_info"]
        assert [i["index"] for i in infos] == list(range(ds.num_rows))
        assert {i["split"] for i in infos} == {split}
        assert all(r["style"] == "rule" for r in ds["reward_model"])


def test_openai_files_carry_arguments_as_json_strings_and_weights(snapshot):
    rows = []
    for f in snapshot["manifest"]["files"]:
        if f.get("config") == "openai_chat":
            rows += [json.loads(line) for line in (snapshot["dir"] / f["path"]).read_text().splitlines()]
    assert len(rows) == sum(snapshot["manifest"]["counts"]["openai_chat"].values())
    calls = [c for r in rows for m in r["messages"] for c in m.get("tool_calls", [])]
    assert calls and all(isinstance(c["function"]["arguments"], str) for c in calls)
    assert all(isinstance(json.loads(c["function"]["arguments"]), dict) for c in calls)
    for r in rows:
        for m in r["messages"]:
            assert ("weight" in m) == (m["role"] == "assistant")
    dpo = [json.loads(line) for f in snapshot["manifest"]["files"] if f.get("config") == "openai_dpo"
           for line in (snapshot["dir"] / f["path"]).read_text().splitlines()]
    assert dpo and all(set(r) == {"input", "preferred_output", "non_preferred_output"} for r in dpo)


def test_no_user_is_in_both_train_and_eval(snapshot):
    lineage = pq.read_table(snapshot["dir"] / "lineage.parquet").to_pylist()
    splits_of_user = defaultdict(set)
    split_of_sample = {}
    for row in lineage:
        assert row["user_key"], "every sample has a pseudonymous user key"
        splits_of_user[row["user_key"]].add(row["split"])
        split_of_sample[row["sample_id"]] = row["split"]
        assert row["event_ids"]
    assert all(len(s) == 1 for s in splits_of_user.values())
    assert {s for ss in splits_of_user.values() for s in ss} == {"train", "eval"}
    for config in parquet_configs(snapshot["manifest"]):
        if config == "rl":
            continue
        for split, paths in files_by_split(snapshot["manifest"], config, snapshot["dir"]).items():
            for path in paths:
                for sample_id in pq.read_table(path, columns=["sample_id"]).column("sample_id").to_pylist():
                    assert split_of_sample[sample_id] == split


def decoded_text(path):
    """Parquet is compressed: scan its decoded values too, not only its bytes."""
    return json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False)


def test_no_pii_canary_survives_in_any_exported_byte(snapshot):
    canaries = snapshot["canaries"]
    assert len(canaries) > 100 and len(set(canaries)) == len(canaries)
    scanned = 0
    # Everything the export wrote: the snapshot, tags and the index.
    for path in sorted(p for p in snapshot["blob_root"].rglob("*") if p.is_file()):
        raw = path.read_bytes()
        texts = [raw.decode("utf-8", errors="replace")]
        if path.suffix == ".parquet":
            texts.append(decoded_text(path))
        for text in texts:
            for canary in canaries:
                assert canary not in text, f"PII canary {canary!r} leaked into {path}"
                assert canary.replace(" ", "") not in text.replace(" ", "")
        scanned += 1
    assert scanned >= len(snapshot["manifest"]["files"]) + 1
