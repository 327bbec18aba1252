//! The sample organizations load clean and round-trip through the native format.

use orgscope::org::{self, export};

#[test]
fn acme_loads_without_findings() {
    let (org, report) = org::load_str("sample-orgs/acme.json", org::ACME);
    assert!(report.is_clean(), "{report}");
    let org = org.expect("acme loads");
    let s = org.stats();
    assert!(s.accounts >= 10, "{s:?}");
    assert_eq!(s.ous, 8);
}

#[test]
fn acme_round_trips_through_export() {
    let org = org::load_builtin_acme();
    let text = export::to_native_text(&org);
    let (again, report) = org::load_str("exported.json", &text);
    assert!(report.is_clean(), "{report}\n{text}");
    let again = again.expect("the export loads");
    assert_eq!(again.stats(), org.stats());
    assert_eq!(export::to_native(&again), export::to_native(&org));
    assert_eq!(export::to_native_text(&again), text);
}

/// acme's aws/s3 key is AWS managed (KMS Developer Guide, "Resource control policies
/// in AWS KMS": RCPs do not apply to such keys); the export keeps the flag, and only
/// on that key.
#[test]
fn aws_managed_keys_round_trip_through_export() {
    const AWS_S3: &str =
        "arn:aws:kms:eu-west-1:555555555555:key/a3d5e000-0000-4000-8000-000000000003";
    const PAYMENTS: &str =
        "arn:aws:kms:eu-west-1:555555555555:key/9a7e0000-0000-4000-8000-000000000002";
    let managed = |o: &org::Org, arn: &str| o.resource(o.resource_by_arn(arn).unwrap()).aws_managed;
    let org = org::load_builtin_acme();
    assert!(managed(&org, AWS_S3));
    assert!(!managed(&org, PAYMENTS));
    let exported = export::to_native(&org);
    let accounts = exported["accounts"].as_array().unwrap();
    let resources = accounts.iter().find(|a| a["id"] == "555555555555").unwrap()["resources"]
        .as_object()
        .unwrap();
    assert_eq!(resources[AWS_S3]["aws_managed"], true);
    assert!(resources[PAYMENTS].get("aws_managed").is_none());
    let (again, report) = org::load_str("exported.json", &export::to_native_text(&org));
    assert!(report.is_clean(), "{report}");
    let again = again.unwrap();
    assert!(managed(&again, AWS_S3));
    assert!(!managed(&again, PAYMENTS));
    let flagged = again.resources().iter().filter(|r| r.aws_managed).count();
    assert_eq!(flagged, 1);
}

#[test]
fn export_writes_atomically_and_never_over_an_input() {
    let dir = std::env::temp_dir().join(format!("orgscope-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.json");
    std::fs::write(&input, org::ACME).unwrap();
    let loaded = org::load(&input).unwrap();
    let text = export::to_native_text(&loaded);
    let same = dir.join(".").join("in.json");
    let err = orgscope::atomic_write::write(&same, text.as_bytes(), &[&input]).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("refusing to overwrite the input"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), org::ACME);
    let out = dir.join("out.json");
    orgscope::atomic_write::write(&out, text.as_bytes(), &[&input]).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn inputs_are_told_apart_by_their_keys() {
    assert_eq!(org::detect(org::ACME), org::InputKind::Native);
    assert_eq!(
        org::detect(r#"{"Policies": [], "UserDetailList": []}"#),
        org::InputKind::AuthorizationDetails
    );
    assert_eq!(
        org::detect(r#"{"IsTruncated": false, "RoleDetailList": []}"#),
        org::InputKind::AuthorizationDetails
    );
    assert_eq!(org::detect("not json"), org::InputKind::Native);
}
