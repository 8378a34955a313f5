#!/usr/bin/env python3
"""Derives the example's Trivy report series from the stored Trivy goldens (Apache-2.0, aquasecurity/trivy).

The goldens carry a frozen CreatedAt, so they are not a time series: each copy here gets a new CreatedAt and
ArtifactName, and the last CVE scan has its vulnerabilities removed to stand for the patched rebuild.
Usage: derive-reports.py VECTORS_DIR (shared/vectors/reports/trivy) -> writes reports/*.json here.
"""
import json
import pathlib
import sys

src = pathlib.Path(sys.argv[1])
out = pathlib.Path(__file__).parent / "reports"
out.mkdir(exist_ok=True)
image = "ghcr.io/example/api:1.4"

def write(name, base, created, drop_vulns=False):
    doc = json.loads((src / base).read_text())
    doc["CreatedAt"] = created
    doc["ArtifactName"] = image
    meta = doc.setdefault("Metadata", {})
    meta["RepoTags"] = [image]
    meta.pop("RepoDigests", None)
    if drop_vulns:
        for result in doc.get("Results", []):
            result.pop("Vulnerabilities", None)
    (out / name).write_text(json.dumps(doc, indent=2) + "\n")

for day in (1, 2, 3):
    write(f"api-cve-0{day}.json", "alpine-39-high-critical.json", f"2026-03-0{day}T06:00:00Z")
write("api-cve-04.json", "alpine-39-high-critical.json", "2026-03-04T06:00:00Z", drop_vulns=True)
write("api-config-04.json", "dockerfile.json", "2026-03-04T06:30:00Z")
