//! External access through a bucket policy statement about one prefix. A request
//! names one object (IAM User Guide, "IAM JSON policy elements: Resource"), so a
//! statement that lets everyone read `BUCKET/reports/*` opens those objects to the
//! world, as Access Analyzer reports it. Asked only on one object outside the
//! prefix, the finding was missing.

#[path = "common/acme.rs"]
mod acme;

#[test]
fn a_public_prefix_of_a_bucket_is_reported_with_its_objects() {
    let org = acme::acme();
    let lake = "arn:aws:s3:::acme-data-dev-lake";
    let public = |org: &orgscope::org::Org| -> Vec<orgscope::findings::Finding> {
        orgscope::findings::findings(org, &Default::default())
            .into_iter()
            .filter(|f| f.rule == "external.public" && f.node == lake)
            .collect()
    };
    assert!(public(&org).is_empty());
    let after = acme::acme_with("public-lake-reports.json");
    let found = public(&after);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("s3:GetObject")
            && found[0]
                .message
                .ends_with("on objects arn:aws:s3:::acme-data-dev-lake/reports/*"),
        "{}",
        found[0].message
    );
}
