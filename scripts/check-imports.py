#!/usr/bin/env python3
"""Checks that each target's dependencies in a Package.swift are exactly the modules its sources
import (a target listed but not imported, or imported but not listed, is an error).

    scripts/check-imports.py [PACKAGE_DIR]      (default: the repository root)

Reads the manifest through `swift package dump-package`; products of other packages count by
their product name and the modules they provide (PRODUCT_MODULES below). Exit 1 with one line per
difference."""
import json
import os
import re
import subprocess
import sys

# modules a product of another package provides, where they differ from its name
PRODUCT_MODULES = {
    "ArgumentParser": {"ArgumentParser"},
    "Yams": {"Yams"},
    "Crypto": {"Crypto"},
    "PropertyBased": {"PropertyBased"},
    "KaskadaSituations": {"Situations", "ModelIO"},
    "KaskadaCore": {"InfraModel", "ModelIO", "InfraGraph", "Stochastics", "Hazards", "Cascade"},
    "Hummingbird": {"Hummingbird"},
    "HummingbirdTesting": {"HummingbirdTesting"},
    "GRDB": {"GRDB"},
}
# C targets that work by being linked (an allocator policy, sanitizer defaults), never imported
LINK_ONLY = {"CAllocator", "CSanitizerDefaults"}
# modules of the toolchain and system, never listed
SYSTEM = {"Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Darwin", "Testing", "XCTest", "Synchronization",
          "HTTPTypes", "NIOCore", "NIOPosix", "Logging", "ServiceLifecycle"}


def main() -> int:
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    manifest = json.loads(subprocess.run(["swift", "package", "--package-path", root, "dump-package"], check=True,
                                         capture_output=True, text=True).stdout)
    problems = []
    for t in manifest["targets"]:
        if t["type"] == "system":
            continue
        listed = {}
        for dep in t["dependencies"]:
            kind, value = next(iter(dep.items()))
            name = value[0]
            listed[name] = PRODUCT_MODULES.get(name, {name}) if kind == "product" else {name}
        folder = t.get("path") or os.path.join("Tests" if t["type"] == "test" else "Sources", t["name"])
        imported = set()
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for f in files:
                if f.endswith(".swift"):
                    with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                        for line in fh:
                            m = re.match(r"\s*(?:@testable\s+|@preconcurrency\s+|@_implementationOnly\s+)?(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(?:struct\s+|enum\s+|class\s+|func\s+)?([A-Za-z_][A-Za-z0-9_]*)", line)
                            if m:
                                imported.add(m.group(1))
        # C targets have no Swift imports: only check that their folder exists
        if not imported and not any(f.endswith(".swift") for _, _, fs in os.walk(os.path.join(root, folder)) for f in fs):
            continue
        imported -= SYSTEM
        imported.discard(t["name"])
        provided = set().union(*listed.values()) if listed else set()
        executables = {x["name"] for x in manifest["targets"] if x["type"] == "executable"}
        for name, mods in sorted(listed.items()):
            # link-only C targets; a test target may list an executable so that it is built first
            if name in LINK_ONLY or (t["type"] == "test" and name in executables):
                continue
            if not (mods & imported):
                problems.append(f"{t['name']}: depends on {name} but imports none of {sorted(mods)}")
        for mod in sorted(imported - provided):
            problems.append(f"{t['name']}: imports {mod} but does not list it")
    for p in problems:
        print(f"Package.swift: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
