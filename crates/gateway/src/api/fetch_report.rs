//! `POST /ams/api/v1/reports/fetch` (and the sandbox alias): a merchant
//! downloads its own reconciliation reports of one UTC+8 day (docs/protocol.md
//! §8), signed like every other API. Antom delivers reports by SFTP and
//! the dashboard; Cashier has neither, so the files come in the signed
//! response body instead, which also proves they came from the gateway.
//!
//! Request: `{"reportDate": "2025-01-02", "reportType": "TRANSACTION" |
//! "SETTLEMENT" | "SUMMARY"}`. Response: `{"result": S, "reportDate",
//! "reportType", "files": [{"fileName", "content"}]}`, where `content` is the
//! CSV text. A day not generated yet answers `F REPORT_NOT_READY`. A
//! generated day with no money movement has no settlement files: `S` with
//! an empty `files`.

use cashier_protocol::validate::parse_json;
use cashier_protocol::{ResultCode, WireResult};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::{success_body, success_result, Answer, Authenticated};

/// The request body, for `/openapi.json` (the handler reads a plain JSON
/// object to name the offending field precisely).
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FetchReportRequest {
    /// A day in UTC+8, `YYYY-MM-DD`.
    pub report_date: String,
    /// `TRANSACTION`, `SETTLEMENT` or `SUMMARY`.
    pub report_type: String,
}

/// The response body; only `result` on `F`/`U` outcomes.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FetchReportResponse {
    pub result: WireResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<ReportFile>>,
}

/// One CSV file of a report.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportFile {
    pub file_name: String,
    /// The CSV text.
    pub content: String,
}
use super::ApiState;
use crate::error::ApiError;
use crate::reports::{self, ReportKind};

#[tracing::instrument(skip_all, fields(client_id = %auth.merchant.client_id))]
pub async fn handle(svc: &ApiState, auth: &Authenticated) -> Result<Answer, ApiError> {
    let request: Value = parse_json(&auth.body)?;
    let (date, kind) = validate(&request)?;
    let day = date.to_string();
    let stored = svc.store.reports(&auth.merchant.client_id, &day).await?;
    // The transaction details file is stored last: with it, the day is complete.
    if !stored
        .iter()
        .any(|(k, _, _)| k == ReportKind::Transaction.as_str())
    {
        return Err(ApiError::new(
            ResultCode::REPORT_NOT_READY,
            format!(
                "the reports of {day} are not generated yet; they are made after 00:30 (UTC+8) on the next day."
            ),
        ));
    }
    let files: Vec<ReportFile> = stored
        .into_iter()
        .filter(|(k, _, _)| k == kind.as_str())
        .map(|(_, file_name, content)| ReportFile { file_name, content })
        .collect();
    Ok(success_body(&FetchReportResponse {
        result: success_result(),
        report_date: Some(day),
        report_type: Some(kind.as_str().to_string()),
        files: Some(files),
    }))
}

/// Reads `reportDate` and `reportType` from the parsed body (pure; fuzzed).
pub fn validate(request: &Value) -> Result<(chrono::NaiveDate, ReportKind), ApiError> {
    let date = match request.get("reportDate") {
        None | Some(Value::Null) => {
            return Err(ApiError::param(
                "reportDate is required: a day in UTC+8 as YYYY-MM-DD.",
            ))
        }
        Some(Value::String(s)) => {
            reports::parse_date(s).map_err(|e| ApiError::param(format!("reportDate: {e}.")))?
        }
        Some(_) => {
            return Err(ApiError::param(
                "reportDate must be a string in the form YYYY-MM-DD.",
            ))
        }
    };
    let types = "TRANSACTION, SETTLEMENT or SUMMARY";
    let kind = match request.get("reportType") {
        None | Some(Value::Null) => {
            return Err(ApiError::param(format!("reportType is required: {types}.")))
        }
        Some(Value::String(s)) => ReportKind::parse(s).ok_or_else(|| {
            ApiError::param(format!(
                "reportType must be {types}, not {:?}.",
                s.chars().take(40).collect::<String>()
            ))
        })?,
        Some(_) => {
            return Err(ApiError::param(format!(
                "reportType must be a string: {types}."
            )))
        }
    };
    Ok((date, kind))
}
