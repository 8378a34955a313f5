//! 4.4.1 from synthetic metadata dumps in the exact shapes of the AWS, GCP, Vault and
//! Kubernetes CLIs, plus the offboarding list.

mod common;

use aisvs_evidence::{
    evaluate_secret_rotation, parse_offboarding, parse_secret_metadata, sniff, Outcome, ReportKind,
};
use common::{t, write};
use time::Duration;

const MAX: Duration = Duration::days(90);

#[test]
fn rotation_age_per_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let at = t("2026-06-01T00:00:00Z");
    let files = [
        (
            "describe-secret.json",
            r#"{"ARN":"arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbC","Name":"prod/db","RotationEnabled":true,"LastRotatedDate":"2026-05-01T00:00:00+00:00","CreatedDate":1600000000.5}"#,
            Outcome::Pass,
        ),
        (
            "never-rotated.json",
            r#"{"ARN":"arn:aws:secretsmanager:eu-west-1:1:secret:prod/hf-Xy","Name":"prod/hf","CreatedDate":"2025-01-01T00:00:00Z"}"#,
            Outcome::Fail,
        ),
        (
            "versions.json",
            r#"{"ARN":"arn:x","Name":"prod/openai","Versions":[{"VersionId":"a","VersionStages":["AWSPREVIOUS"],"CreatedDate":"2025-01-01T00:00:00Z"},{"VersionId":"b","VersionStages":["AWSCURRENT"],"CreatedDate":"2026-04-20T00:00:00Z"}]}"#,
            Outcome::Pass,
        ),
        (
            "kms.json",
            r#"{"KeyId":"k-1","KeyRotationEnabled":true,"RotationPeriodInDays":365}"#,
            Outcome::Fail,
        ),
        (
            "gcp.json",
            r#"{"name":"projects/p/locations/global/keyRings/r/cryptoKeys/k","primary":{"name":"v3","state":"ENABLED","createTime":"2026-05-15T10:00:00.123456Z"},"rotationPeriod":"7776000s"}"#,
            Outcome::Pass,
        ),
        (
            "vault.json",
            r#"{"data":{"current_version":2,"updated_time":"2026-05-30T00:00:00Z","versions":{"1":{"created_time":"2025-10-01T00:00:00Z"},"2":{"created_time":"2026-01-15T00:00:00Z"}}}}"#,
            Outcome::Fail,
        ),
        (
            "secret.json",
            r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"hf-token","namespace":"ml","creationTimestamp":"2025-01-01T00:00:00Z","managedFields":[{"manager":"eso","operation":"Update","time":"2026-05-20T00:00:00Z","fieldsV1":{"f:data":{}}}]}}"#,
            Outcome::Pass,
        ),
    ];
    for (name, body, expected) in files {
        let path = write(dir.path(), name, body);
        assert_eq!(
            sniff(&path, body),
            Some(ReportKind::SecretMetadata),
            "{name}"
        );
        let records = parse_secret_metadata(&path, body).expect(name);
        let result = evaluate_secret_rotation(&records, &[], at, MAX);
        assert_eq!(result.len(), 1, "{name}");
        assert_eq!(result[0].outcome, expected, "{name}: {}", result[0].message);
    }
}

#[test]
fn departure_fails_secrets_not_rotated_after_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = r#"{"kind":"List","items":[
        {"kind":"Secret","metadata":{"name":"db","namespace":"prod","creationTimestamp":"2026-05-01T00:00:00Z"}},
        {"kind":"Secret","metadata":{"name":"api","namespace":"prod","creationTimestamp":"2026-05-20T00:00:00Z"}}]}"#;
    let path = write(dir.path(), "secrets.json", body);
    let records = parse_secret_metadata(&path, body).expect("list");
    let off_text =
        r#"{"offboarding":[{"person":"alice","date":"2026-05-10","secrets":["db","api"]}]}"#;
    let off_path = write(dir.path(), "offboarding.json", off_text);
    assert_eq!(sniff(&off_path, off_text), Some(ReportKind::Offboarding));
    let departures = parse_offboarding(&off_path, off_text).expect("offboarding");
    let result = evaluate_secret_rotation(&records, &departures, t("2026-06-01T00:00:00Z"), MAX);
    assert_eq!(result[0].outcome, Outcome::Fail, "{}", result[0].message);
    assert!(result[0].message.contains("alice left"));
    assert_eq!(result[1].outcome, Outcome::Pass);
}

#[test]
fn unknown_age_is_inconclusive_and_bad_input_names_the_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = r#"{"ARN":"arn:x","Name":"n","VersionIdsToStages":{}}"#;
    let path = write(dir.path(), "s.json", body);
    let records = parse_secret_metadata(&path, body).expect("parse");
    let result = evaluate_secret_rotation(&records, &[], t("2026-06-01T00:00:00Z"), MAX);
    assert_eq!(result[0].outcome, Outcome::Inconclusive);
    let err = parse_offboarding(&path, r#"{"offboarding":[{"person":"bob","date":"soon"}]}"#)
        .expect_err("bad date");
    assert!(err.to_string().contains("offboarding[0]"), "{err}");
}
