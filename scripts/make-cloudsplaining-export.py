#!/usr/bin/env python3
"""Builds sample-orgs/cloudsplaining-export/: a directory of AWS CLI output, laid out
as docs/aws-export.md describes, that places real `get-account-authorization-details`
dumps under a small organization.

Sources (all under ../shared/data, copied with their licences):
  samples/cloudsplaining/example.json   real dumps of two accounts (BSD-3-Clause)
  samples/awscli-examples/               AWS's own CLI output examples (Apache-2.0):
                                         the management account's IAM, a bucket policy
  scps/aws-samples-scp, aws-samples-rcp  AWS's published SCP and RCP examples (MIT-0)

The organization around them (ids, OUs, attachments) and the credential report are
made up here; the IAM data is as published. Run from the repository root:

    python3 scripts/make-cloudsplaining-export.py [--shared ../shared]
"""

import argparse
import base64
import json
import os
import shutil
import textwrap

ORG_ID = "o-cspl0example"
ROOT_ID = "r-cs01"
MGMT = "123456789012"  # the AWS CLI documentation's example account
LAB = "200611803367"  # cloudsplaining's test account
GOAT = "012345678901"  # cloudsplaining's second example account
OU_RESEARCH = "ou-cs01-research1"
OU_WORKLOADS = "ou-cs01-workload1"


def rst_json(path, marker="Output::"):
    """The first JSON object after `marker` in an AWS CLI example .rst file."""
    text = open(path).read()
    start = text.index("{", text.index(marker))
    obj, _ = json.JSONDecoder().raw_decode(textwrap.dedent(text[start:]).replace("\t", "    "))
    return obj


def write(out, rel, obj):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if isinstance(obj, str):
            f.write(obj)
        else:
            json.dump(obj, f, indent=4)
            f.write("\n")


def org_arn(kind, rest):
    return f"arn:aws:organizations::{MGMT}:{kind}/{ORG_ID}/{rest}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared", help="the shared data directory")
    ap.add_argument("--out", default="sample-orgs/cloudsplaining-export")
    args = ap.parse_args()
    data = os.path.join(args.shared, "data")
    out = args.out
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)

    # The organization.
    write(out, "describe-organization.json", {"Organization": {
        "Id": ORG_ID,
        "Arn": f"arn:aws:organizations::{MGMT}:organization/{ORG_ID}",
        "FeatureSet": "ALL",
        "MasterAccountArn": org_arn("account", MGMT),
        "MasterAccountId": MGMT,
        "MasterAccountEmail": "bill@example.com",
        "AvailablePolicyTypes": [
            {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"},
            {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"},
        ],
    }})
    write(out, "list-roots.json", {"Roots": [{
        "Id": ROOT_ID,
        "Arn": org_arn("root", ROOT_ID),
        "Name": "Root",
        "PolicyTypes": [
            {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"},
            {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"},
        ],
    }]})
    write(out, f"list-organizational-units-for-parent/{ROOT_ID}.json", {"OrganizationalUnits": [
        {"Id": OU_RESEARCH, "Arn": org_arn("ou", OU_RESEARCH), "Name": "Research",
         "Path": f"{ORG_ID}/{ROOT_ID}/{OU_RESEARCH}/"},
        {"Id": OU_WORKLOADS, "Arn": org_arn("ou", OU_WORKLOADS), "Name": "Workloads",
         "Path": f"{ORG_ID}/{ROOT_ID}/{OU_WORKLOADS}/"},
    ]})
    for ou in (OU_RESEARCH, OU_WORKLOADS):
        write(out, f"list-organizational-units-for-parent/{ou}.json", {"OrganizationalUnits": []})

    def account(acct, name, email, joined):
        # JoinedTimestamp as the CLI prints it: epoch seconds with milliseconds.
        return {"Id": acct, "Arn": org_arn("account", acct), "Email": email, "Name": name,
                "Status": "ACTIVE", "State": "ACTIVE", "JoinedMethod": "CREATED",
                "JoinedTimestamp": joined}

    write(out, f"list-accounts-for-parent/{ROOT_ID}.json", {"Accounts": [
        account(MGMT, "management", "bill@example.com", 1481835795.536)]})
    write(out, f"list-accounts-for-parent/{OU_RESEARCH}.json", {"Accounts": [
        account(LAB, "privesc-lab", "lab@example.com", 1678358505.0)]})
    write(out, f"list-accounts-for-parent/{OU_WORKLOADS}.json", {"Accounts": [
        account(GOAT, "goat", "goat@example.com", 1576696208.25)]})

    # SCPs and RCPs: FullAWSAccess everywhere, two published examples on top.
    scp_dir = os.path.join(data, "scps")
    leave = json.load(open(os.path.join(scp_dir, "aws-samples-scp",
        "Privileged-access-controls__Deny-member-accounts-from-leaving-your-AWS-organization.json")))
    https = json.load(open(os.path.join(scp_dir, "aws-samples-rcp",
        "Restrict-resource-access-patterns__Restrict-access-to-only-HTTPS-connections-to-your-resources.json")))
    managed = json.load(open(os.path.join(scp_dir, "aws-managed-org-policies.json")))
    policies = [
        ("SERVICE_CONTROL_POLICY", "p-FullAWSAccess", "FullAWSAccess", "Allows access to every operation", True,
         managed["FullAWSAccess"]["Content"], [ROOT_ID, OU_RESEARCH, OU_WORKLOADS, MGMT, LAB, GOAT]),
        ("SERVICE_CONTROL_POLICY", "p-cs01denyleave", "DenyLeaveOrganization",
         "Deny member accounts from leaving the organization", False, leave, [ROOT_ID]),
        ("RESOURCE_CONTROL_POLICY", "p-RCPFullAWSAccess", "RCPFullAWSAccess", "Allows access to every resource.",
         True, managed["RCPFullAWSAccess"]["Content"], [ROOT_ID, OU_RESEARCH, OU_WORKLOADS, MGMT, LAB, GOAT]),
        ("RESOURCE_CONTROL_POLICY", "p-cs01httpsonly", "HttpsOnly",
         "Restrict access to only HTTPS connections to your resources", False, https, [OU_WORKLOADS]),
    ]
    names = {ROOT_ID: "Root", OU_RESEARCH: "Research", OU_WORKLOADS: "Workloads",
             MGMT: "management", LAB: "privesc-lab", GOAT: "goat"}
    for kind in ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"):
        listed = []
        for (k, pid, name, desc, aws, content, targets) in policies:
            if k != kind:
                continue
            owner = "aws" if aws else MGMT
            arn = f"arn:aws:organizations::{owner}:policy/{'' if aws else ORG_ID + '/'}{kind.lower()}/{pid}"
            summary = {"Id": pid, "Arn": arn, "Name": name, "Description": desc, "Type": kind, "AwsManaged": aws}
            listed.append(summary)
            # Content as the API returns it: JSON text inside a string.
            write(out, f"describe-policy/{pid}.json",
                  {"Policy": {"PolicySummary": summary, "Content": json.dumps(content, indent=4)}})
            targets_out = []
            for t in targets:
                ty = "ROOT" if t.startswith("r-") else "ORGANIZATIONAL_UNIT" if t.startswith("ou-") else "ACCOUNT"
                kind_arn = {"ROOT": "root", "ORGANIZATIONAL_UNIT": "ou", "ACCOUNT": "account"}[ty]
                targets_out.append({"TargetId": t, "Arn": org_arn(kind_arn, t), "Name": names[t], "Type": ty})
            write(out, f"list-targets-for-policy/{pid}.json", {"Targets": targets_out})
        write(out, f"list-policies/{kind}.json", {"Policies": listed})

    # IAM: the management account from the AWS CLI docs (its `AttachedManagedPolicies`
    # given as a single object, as the docs print it), the two accounts from
    # cloudsplaining's dump, split by the account in each ARN.
    cli = os.path.join(data, "samples", "awscli-examples")
    mgmt_iam = rst_json(os.path.join(cli, "iam", "get-account-authorization-details.rst"))
    mgmt_iam.pop("Marker", None)
    mgmt_iam["IsTruncated"] = False
    write(out, f"get-account-authorization-details/{MGMT}.json", mgmt_iam)

    dump = json.load(open(os.path.join(data, "samples", "cloudsplaining", "example.json")))
    aws_policies = [p for p in dump["Policies"] if ":aws:policy/" in p["Arn"]]
    for acct in (LAB, GOAT):
        part = {}
        for key in ("UserDetailList", "GroupDetailList", "RoleDetailList"):
            part[key] = [x for x in dump[key] if x["Arn"].split(":")[4] == acct]
        own = [p for p in dump["Policies"] if p["Arn"].split(":")[4] == acct]
        used = {m["PolicyArn"] for key in part for x in part[key] for m in x.get("AttachedManagedPolicies", [])}
        part["Policies"] = own + [p for p in aws_policies if p["Arn"] in used]
        write(out, f"get-account-authorization-details/{acct}.json", part)

    # A credential report for the lab account, as `aws iam get-credential-report`
    # returns it (CSV in base64). Made up: the dump has no credentials.
    users = [u["UserName"] for u in dump["UserDetailList"] if u["Arn"].split(":")[4] == LAB][:4]
    header = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
              "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
              "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
              "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
              "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
              "cert_1_last_rotated,cert_2_active,cert_2_last_rotated")
    rows = [header,
            f"<root_account>,arn:aws:iam::{LAB}:root,2019-05-01T10:00:00+00:00,not_supported,"
            "2023-03-01T09:00:00+00:00,not_supported,not_supported,false,true,2019-05-02T10:00:00+00:00,"
            "2023-02-11T08:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"]
    for i, u in enumerate(users):
        mfa = "true" if i % 2 == 0 else "false"
        rows.append(f"{u},arn:aws:iam::{LAB}:user/{u},2023-03-09T10:41:45+00:00,{'true' if i < 2 else 'false'},"
                    f"{'2023-03-20T12:00:00+00:00' if i == 0 else 'no_information'},2023-03-09T10:41:45+00:00,N/A,"
                    f"{mfa},true,2023-03-09T10:42:00+00:00,{'2023-04-01T00:00:00+00:00' if i else 'N/A'},"
                    f"{'eu-west-1' if i else 'N/A'},{'sts' if i else 'N/A'},false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")
    csv = "\n".join(rows) + "\n"
    write(out, f"get-credential-report/{LAB}.json", {
        "Content": base64.b64encode(csv.encode()).decode(),
        "ReportFormat": "text/csv",
        "GeneratedTime": "2023-04-02T10:00:00Z",
    })

    # A bucket policy, as `aws s3api get-bucket-policy` prints it (AWS CLI docs), and
    # a KMS key policy as `aws kms get-key-policy` prints it (the default key policy).
    bucket = rst_json(os.path.join(cli, "s3api", "get-bucket-policy.rst"))
    write(out, f"resources/{LAB}/s3/amzn-s3-demo-bucket.json", bucket)
    key_policy = {"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{LAB}:root"}, "Action": "kms:*", "Resource": "*"}]}
    write(out, f"resources/{LAB}/kms/us-east-1/1234abcd-12ab-34cd-56ef-1234567890ab.json",
          {"Policy": json.dumps(key_policy, indent=4), "PolicyName": "default"})

    # Licences of what was copied.
    shutil.copy(os.path.join(data, "samples", "cloudsplaining", "LICENSE"), os.path.join(out, "LICENSE-cloudsplaining.txt"))
    shutil.copy(os.path.join(cli, "LICENSE.txt"), os.path.join(out, "LICENSE-awscli-examples.txt"))
    shutil.copy(os.path.join(scp_dir, "aws-samples-scp", "LICENSE"), os.path.join(out, "LICENSE-aws-samples.txt"))
    write(out, "README.md", textwrap.dedent(f"""\
        # cloudsplaining-export

        A real-shaped export directory (see docs/aws-export.md), generated by
        `scripts/make-cloudsplaining-export.py`; do not edit by hand.

        - `get-account-authorization-details/{LAB}.json` and `{GOAT}.json`: the
          `example.json` dump published with cloudsplaining (BSD-3-Clause,
          LICENSE-cloudsplaining.txt), split by account.
        - `get-account-authorization-details/{MGMT}.json`, the bucket policy: AWS CLI
          documentation examples (Apache-2.0, LICENSE-awscli-examples.txt).
        - SCP `DenyLeaveOrganization` and RCP `HttpsOnly`: AWS's published examples
          (MIT-0, LICENSE-aws-samples.txt).
        - The organization around them, the credential report and the key policy are
          made up for the sample.
        """))


if __name__ == "__main__":
    main()
