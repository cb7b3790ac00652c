#!/usr/bin/env python3
"""declass as the map step of Spark: `declass report` over a directory of cables.

Each file under the input directory becomes one JSON Lines record
`{"id": <path relative to the directory>, "text": <its text>}`; each partition of records is
piped through one `declass report --input-format jsonl -` process (`RDD.pipe`), which writes
exactly one record per input record. The records are written sorted by id, so the output does
not depend on how the files were split into partitions.

    python examples/spark/report.py CABLES --as-of 2017-12-31 --output report.jsonl

The records are declass's own, with one change: in the stream, declass names a text record's
document `<stdin>:N` (line N of that partition's stream), so the script sets `report.path`
(or `error.input`) to the record's id. A record then equals the one a plain
`declass report --format json` run writes for the same file, run from the input directory.

Files are read with Spark's `binaryFile` data source, not `sc.wholeTextFiles` or
`sc.binaryFiles`. `wholeTextFiles` decodes through Hadoop's `Text`, which turns bytes that are
not UTF-8 into U+FFFD without a word, so declass would decide a text that is not the file.
Both RDD readers list files through Hadoop's `CombineFileInputFormat`, which on a local file
system without Hadoop's native library starts processes (`ls -ld`) for every file to read its
permissions: about a minute for the 5,654 cables of one directory before anything is read.
The data source lists with Spark's own code and hands over the same bytes. Each file is
decoded strictly; one that is not UTF-8 is handed to declass as `{"id", "path"}` when it is on
a local file system, so that declass says what it says in a plain run ("not UTF-8 text", with
line and column), and otherwise gets an error record of the same shape made by this script.
"""

from __future__ import annotations

import argparse
import datetime
import heapq
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))

# An id that this script gives a record of its own; a NUL never occurs in a path.
MARK = "\u0000declass-spark:"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Run `declass report` over a directory of cables as the map step of a Spark job.",
    )
    parser.add_argument("input", help="directory of cables (a local path or a Hadoop file system URI), walked recursively")
    parser.add_argument("--declass", default="declass", help="the declass binary: a path, or a name looked up on PATH (default: declass)")
    parser.add_argument("--as-of", type=iso_date, default=datetime.date.today().isoformat(),
                        help="decide as of this date, YYYY-MM-DD (default: today, fixed once on the driver)")
    parser.add_argument("--policy", help="policy file (TOML); it must be readable at the same path on every worker")
    parser.add_argument("--master", default="local[2]", help="Spark master (default: local[2])")
    parser.add_argument("--partitions", type=int, help="number of partitions, i.e. declass processes (default: Spark's default parallelism)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="worker threads of each declass process (`-j`; default 1: Spark runs one task per core)")
    parser.add_argument("--glob", default="*.txt", help="only files whose name matches this glob; '*' for every file (default: *.txt)")
    parser.add_argument("--text-only", action="store_true",
                        help="never hand declass a path, even on a local file system (how a remote file system is handled)")
    parser.add_argument("--output", help="write the records here, as JSON Lines sorted by id (default: standard output)")
    args = parser.parse_args(argv)
    if args.partitions is not None and args.partitions < 1:
        parser.error("--partitions must be at least 1")
    if args.jobs < 0:
        parser.error("--jobs must be 0 (all cores) or more")
    return args


def iso_date(value: str) -> str:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def has_scheme(path: str) -> bool:
    return "://" in path or path.startswith("file:")


def declass_command(args: argparse.Namespace) -> list[str]:
    """The declass command line each partition is piped through."""
    binary = args.declass
    if os.sep in binary:
        binary = os.path.abspath(binary)
    command = [binary, "report", "--input-format", "jsonl", "--format", "json", "--as-of", args.as_of,
               "--jobs", str(args.jobs), "--progress", "never"]
    if args.policy:
        command += ["--policy", args.policy if has_scheme(args.policy) else os.path.abspath(args.policy)]
    return command + ["-"]


def declass_env() -> dict[str, str]:
    """The environment of the declass processes.

    `RDD.pipe` starts its command with exactly the `env` it is given, and with none at all by
    default: without PATH, a bare `declass` is looked up in /bin:/usr/bin only.
    """
    env = {"PATH": os.environ.get("PATH", os.defpath), "NO_COLOR": "1"}
    for name in ("RUST_BACKTRACE", "TMPDIR"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def preflight(command: list[str], env: dict[str, str]) -> None:
    """Run the command once on the driver over an empty stream: a missing binary, a binary too
    old for `--input-format jsonl`, a bad date or policy fails here, with declass's message,
    rather than in every task."""
    if os.sep not in command[0] and shutil.which(command[0], path=env["PATH"]) is None:
        sys.exit(f"declass-spark: `{command[0]}` is not on PATH; give the binary with --declass")
    try:
        done = subprocess.run(command, input=b"", env=env, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as e:
        sys.exit(f"declass-spark: cannot run `{command[0]}`: {e}")
    if done.returncode != 0 or done.stdout.strip():
        message = done.stderr.decode("utf-8", "replace").strip()
        sys.exit(f"declass-spark: `{shlex.join(command)}` fails on an empty stream (exit {done.returncode}):\n{message}")


def position(data: bytes, at: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte `at`, counted on the valid text before it."""
    before = data[:at].decode("utf-8", "replace")
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before) - line_start + 1


def relative_id(base: str, uri: str) -> str:
    """The id of a file: its path relative to the input directory."""
    prefix = base + "/"
    if not uri.startswith(prefix):
        raise ValueError(f"{uri} is not under {base}")
    return uri[len(prefix):]


def make_records(base: str, text_only: bool, bytes_seen):
    """The function that turns a partition of `(path, content)` rows into JSON Lines records for declass.

    It never raises: an exception in the iterator that `RDD.pipe` feeds from kills its writer
    thread without closing the pipe, and the task then waits on declass forever. A failure is
    passed on as a marked record instead, and `finish` fails the task with its message.
    """

    def record(uri: str, data: bytes) -> str:
        rid = relative_id(base, uri)
        try:
            return json.dumps({"id": rid, "text": data.decode("utf-8")})
        except UnicodeDecodeError as e:
            if not text_only and uri.startswith("file:"):
                return json.dumps({"id": rid, "path": uri[len("file:"):]})
            line, column = position(data, e.start)
            info = {"kind": "not-utf8", "id": rid, "line": line, "column": column}
            return json.dumps({"id": MARK + json.dumps(info), "text": ""})

    def records(rows):
        try:
            for uri, data in rows:
                bytes_seen.add(len(data))
                yield record(uri, bytes(data))
        except Exception as e:  # noqa: BLE001 - passed on to `finish`, which raises it in the task
            info = {"kind": "failed", "message": f"{type(e).__name__}: {e}"}
            yield json.dumps({"id": MARK + json.dumps(info), "text": ""})

    return records


def finish(line: str) -> tuple[str, tuple[str, str]]:
    """One line of declass's output: `(id, (kind, record))`, with the record's path set to its id."""
    record = json.loads(line)
    rid = record.get("id")
    if not isinstance(rid, str):
        raise RuntimeError(f"declass could not read a record this script wrote: {line[:500]}")
    if rid.startswith(MARK):
        info = json.loads(rid[len(MARK):])
        if info["kind"] == "failed":
            raise RuntimeError(f"reading the input failed: {info['message']}")
        rid = info["id"]
        error = {
            "input": rid,
            "line": info["line"],
            "column": info["column"],
            "message": "the file is not UTF-8 text (invalid byte sequence here); convert it first, e.g. with `iconv -f cp1252 -t utf-8`",
        }
        record = {"schema_version": 1, "id": rid, "error": error}
    elif "report" in record:
        record["report"]["path"] = rid
    elif "error" in record:
        record["error"]["input"] = rid
    kind = record["report"]["outcome"] if "report" in record else "error"
    return rid, (kind, json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def listed_uri(uri: str) -> str:
    """A path as `DataFrame.inputFiles` gives it (`file:///a%20b`) in the form of the `path`
    column (`file:/a b`)."""
    uri = urllib.parse.unquote(uri)
    return "file:/" + uri[len("file:///"):] if uri.startswith("file:///") else uri


def run_on_driver(command: list[str], env: dict[str, str], records: list[str]) -> list[str]:
    """declass over a few records, on the driver."""
    if not records:
        return []
    done = subprocess.run(command, input="".join(r + "\n" for r in records).encode("utf-8"), env=env,
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8").splitlines()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    command = declass_command(args)
    env = declass_env()
    preflight(command, env)

    if is_local(args.master):
        # The workers run the driver's Python (the one with pyspark), not whatever `python3` is.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark import SparkConf, StorageLevel
    from pyspark.sql import SparkSession

    log4j = os.path.join(HERE, "log4j2.properties")
    conf = (
        SparkConf()
        .setMaster(args.master)
        .setAppName("declass-report")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log4j}")
        .set("spark.executor.extraJavaOptions", f"-Dlog4j2.configurationFile={log4j}")
    )
    if is_local(args.master):
        conf = conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
    spark = SparkSession.builder.config(conf=conf).getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    try:
        spark_ready = time.monotonic()
        source = args.input if has_scheme(args.input) else os.path.abspath(args.input)
        jvm_path = sc._jvm.org.apache.hadoop.fs.Path(source)
        fs = jvm_path.getFileSystem(sc._jsc.hadoopConfiguration())
        if not fs.exists(jvm_path) or not fs.getFileStatus(jvm_path).isDirectory():
            print(f"declass-spark: not a directory: {args.input}", file=sys.stderr)
            return 2
        base = fs.makeQualified(jvm_path).toString().rstrip("/")

        reader = spark.read.format("binaryFile").option("recursiveFileLookup", "true")
        if args.glob not in ("", "*"):
            reader = reader.option("pathGlobFilter", args.glob)
        frame = reader.load(source)
        # Every file listed, by id: the scan below skips empty files, and each listed file
        # must come out as exactly one record.
        listed = {relative_id(base, listed_uri(uri)): listed_uri(uri) for uri in frame.inputFiles()}

        partitions = args.partitions or sc.defaultParallelism
        files = frame.select("path", "content").rdd
        # The source packs files into partitions by size plus a 4 MB "open cost" each: for
        # small cables, many more partitions than cores. Merge them (no shuffle).
        if files.getNumPartitions() > partitions:
            files = files.coalesce(partitions)
        tasks = files.getNumPartitions()
        bytes_seen = sc.accumulator(0)
        results = (
            files.mapPartitions(make_records(base, args.text_only, bytes_seen))
            .pipe(shlex.join(command), env=env, checkCode=True)
            .map(finish)
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        out_ids = results.keys().collect()
        mapped = time.monotonic()

        # The files the scan skipped: empty ones, decided on the driver like any other.
        missing = sorted(set(listed) - set(out_ids))
        for rid in missing:
            if fs.getFileStatus(sc._jvm.org.apache.hadoop.fs.Path(listed[rid])).getLen() != 0:
                print(f"declass-spark: {rid} was listed but not read", file=sys.stderr)
                return 1
        extra = [finish(line) for line in run_on_driver(command, env, [json.dumps({"id": rid, "text": ""}) for rid in missing])]
        count = len(out_ids) + len(extra)
        if count != len(listed) or len(set(out_ids)) != len(out_ids) or not set(out_ids) <= set(listed):
            print(f"declass-spark: {len(listed)} files listed, {count} records out", file=sys.stderr)
            return 1

        kinds: Counter[str] = Counter()
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
        try:
            ordered = results.sortByKey(numPartitions=max(1, results.getNumPartitions())).toLocalIterator()
            for _, (kind, line) in heapq.merge(ordered, extra, key=lambda item: item[0]):
                kinds[kind] += 1
                out.write(line + "\n")
        finally:
            if out is not sys.stdout:
                out.close()
        done = time.monotonic()
    finally:
        spark.stop()

    megabytes = bytes_seen.value / 1e6
    job = done - spark_ready
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())) or "none"
    print(
        f"declass-spark: {count} records ({summary}) from {megabytes:.1f} MB in {tasks} partitions, "
        f"--master {args.master}: map {mapped - spark_ready:.1f} s, map+sort+write {job:.1f} s "
        f"({count / job:.0f} cables/s, {megabytes / job:.2f} MB/s), {done - started:.1f} s with Spark's start",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
