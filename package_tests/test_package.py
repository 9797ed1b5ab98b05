"""scripts/package.sh's Debian package: what it declares, what it holds, and that what it installs runs on its
own: `classify` and `serve` from the extracted tree with a clean environment, and no library of the Swift
toolchain behind the binary."""

import json
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from conftest import QUERYKIND, ROOT, clean_run, run, served

MODEL_DIR = "usr/share/querykind/Models/querykind-minilm-l3"


def field(deb, name):
    return run(["dpkg-deb", "-f", str(deb), name], check=True).stdout.strip()


def test_file_name_and_control_fields_say_version_architecture_and_dependencies(deb):
    version = run([QUERYKIND, "--version"], check=True).stdout.split()[1]
    assert deb.name == f"querykind_{version}_amd64.deb"
    assert field(deb, "Package") == "querykind"
    assert field(deb, "Version") == version
    assert field(deb, "Architecture") == "amd64"
    depends = [d.strip().split()[0] for d in field(deb, "Depends").split(",")]
    assert {"libopenblas0", "libsqlite3-0"} <= set(depends)
    assert not [d for d in depends if "swift" in d]
    assert field(deb, "Recommends") == "libdnnl2"


def test_listing_holds_binary_model_unit_completions_and_man_page(deb):
    listing = run(["dpkg-deb", "-c", str(deb)], check=True).stdout
    paths = {line.split()[-1].lstrip(".") for line in listing.splitlines()}
    expected = {"/usr/bin/querykind", "/lib/systemd/system/querykind.service",
                "/usr/share/man/man1/querykind.1.gz", "/usr/share/bash-completion/completions/querykind",
                "/usr/share/zsh/vendor-completions/_querykind", "/usr/share/fish/vendor_completions.d/querykind.fish"}
    expected |= {f"/{MODEL_DIR}/{name}" for name in
                 ("config.json", "vocab.txt", "model.safetensors", "README.md", "LICENSE")}
    assert expected <= paths, sorted(expected - paths)
    assert re.search(r"^-rwxr-xr-x root/root .* \./usr/bin/querykind$", listing, re.M)


def test_binary_links_no_library_of_the_swift_toolchain(installed):
    binary = installed / "usr/bin/querykind"
    ldd = run(["ldd", str(binary)], check=True).stdout
    toolchain = Path(shutil.which("swift")).resolve().parent.parent   # …/usr of the toolchain
    assert str(toolchain) not in ldd
    assert not re.search(r"libswift|libFoundation|libdispatch|libBlocksRuntime|not found", ldd), ldd
    assert "libopenblas.so.0" in ldd and "libsqlite3.so.0" in ldd
    dynamic = run(["readelf", "-d", str(binary)], check=True).stdout
    assert str(toolchain) not in dynamic   # no RUNPATH into the toolchain either


def test_classify_runs_from_the_package_with_a_clean_environment(installed, tmp_path):
    binary = str(installed / "usr/bin/querykind")
    version = clean_run([binary, "--version"], cwd=tmp_path, check=True).stdout
    assert f"({installed / MODEL_DIR})" in version   # the packaged model, found beside bin/
    out = clean_run([binary, "classify", "--json", "where is berlin?", "cheap flights paris"], cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    kinds = [json.loads(line)["kind"] for line in out.stdout.splitlines()]
    assert kinds == ["question", "keyword"]


def test_classify_runs_with_the_toolchain_runtime_hidden(installed, tmp_path):
    """Stronger than ldd: the toolchain's runtime folder (…/usr/lib/swift) is covered by an empty tmpfs in a private
    mount namespace, so the binary cannot load a Swift library from it even through a RUNPATH. Where this process
    cannot mount (the probe the full-disk tests use), the test says so and skips."""
    if run([str(ROOT / "scripts/probe-tmpfs.sh")]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (scripts/probe-tmpfs.sh); the ldd test still runs")
    runtime = Path(shutil.which("swift")).resolve().parent.parent / "lib/swift"
    assert (runtime / "linux/libswiftCore.so").is_file(), runtime
    script = f'mount -t tmpfs none "{runtime}" && exec env -i "$0" classify "where is berlin?"'
    out = run(["unshare", "--mount", "sh", "-c", script, str(installed / "usr/bin/querykind")], cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1].split()[0] == "question"


def test_serve_runs_from_the_package_with_a_clean_environment(installed, tmp_path):
    binary, db, log = str(installed / "usr/bin/querykind"), str(tmp_path / "queries.db"), tmp_path / "serve.log"
    migrated = clean_run([binary, "migrate", "--db", db], cwd=tmp_path)   # the migrations are in the binary
    assert migrated.returncode == 0, migrated.stderr
    with served([binary, "serve", "--db", db], log, env={}, cwd=tmp_path) as port:   # env={}: a clean environment
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as response:
            assert response.status == 200
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/classify", method="POST",
                                         data=json.dumps({"texts": ["where is berlin?", "cheap flights paris"]}).encode(),
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            assert [result["kind"] for result in json.load(response)["results"]] == ["question", "keyword"]
            assert response.headers["x-querykind-model"].startswith("querykind-minilm-l3@")


def test_man_page_and_completions_describe_the_commands(installed):
    page = run(["man", "-l", str(installed / "usr/share/man/man1/querykind.1.gz")], check=True,
               env={"MANWIDTH": "100", "PATH": "/usr/bin:/bin"})
    for command in ("classify", "label", "serve", "review", "report"):
        assert re.search(rf"^\s+{command}\b", page.stdout, re.M), command
    bash = installed / "usr/share/bash-completion/completions/querykind"
    run(["bash", "-n", str(bash)], check=True)
    for script in (bash, installed / "usr/share/zsh/vendor-completions/_querykind",
                   installed / "usr/share/fish/vendor_completions.d/querykind.fish"):
        assert "classify" in script.read_text() and "api-key-file" in script.read_text(), script


def test_unit_starts_the_packaged_binary(installed):
    unit = (installed / "lib/systemd/system/querykind.service").read_text()
    exec_start = re.search(r"^ExecStart=(\S+)", unit, re.M).group(1)
    assert (installed / exec_start.lstrip("/")).is_file()
