//! `GET /openapi.json`: an OpenAPI 3.1 description of the `/ams/` API,
//! generated from the wire types of `cashier-protocol` (their `JsonSchema`
//! derives), so it cannot drift from what the gateway parses and answers.
//! `docs/openapi.json` is a committed copy; the test below fails when it
//! is stale (regenerate with `CASHIER_UPDATE_OPENAPI=1 cargo test -p
//! cashier-gateway --lib openapi`).
//!
//! Request schemas describe what a merchant should send. The gateway is
//! more lenient than that (docs/protocol.md §1.4: numbers and booleans where
//! strings are declared, `null` for absent), which the schemas do not
//! advertise. Every answer is HTTP 200 with a `result` and the three signed
//! headers, so each operation documents exactly one response.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use cashier_protocol::wire::{
    AdvanceClockRequest, CancelRequest, CancelResponse, ClockResponse, CreatePaymentSessionRequest,
    CreatePaymentSessionResponse, InquiryClockRequest, InquiryPaymentRequest,
    InquiryPaymentResponse, InquiryRefundRequest, InquiryRefundResponse, RefundRequest,
    RefundResponse,
};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::api::fetch_report::{FetchReportRequest, FetchReportResponse};

/// The operations, as (path, operationId, summary).
const OPERATIONS: [(&str, &str, &str); 8] = [
    (
        "/ams/api/v1/payments/createPaymentSession",
        "createPaymentSession",
        "Create a hosted-checkout payment session (idempotent on paymentRequestId)",
    ),
    (
        "/ams/api/v1/payments/inquiryPayment",
        "inquiryPayment",
        "Read a payment's state",
    ),
    (
        "/ams/api/v1/payments/cancel",
        "cancel",
        "Cancel an unpaid payment, or a paid one inside the cancel window",
    ),
    (
        "/ams/api/v1/payments/refund",
        "refund",
        "Refund part or all of a paid payment (idempotent on refundRequestId)",
    ),
    (
        "/ams/api/v1/payments/inquiryRefund",
        "inquiryRefund",
        "Read a refund's state",
    ),
    (
        "/ams/api/v1/reports/fetch",
        "fetchReport",
        "Download the reconciliation reports of one UTC+8 day",
    ),
    (
        "/ams/api/v1/testing/advanceClock",
        "advanceClock",
        "Sandbox clocks (Cashier only, --sandbox-clocks): move the merchant's clock forward and decide what became due",
    ),
    (
        "/ams/api/v1/testing/inquiryClock",
        "inquiryClock",
        "Sandbox clocks (Cashier only, --sandbox-clocks): read the merchant's clock",
    ),
];

/// The document, built once per process.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(build)
}

/// `GET /openapi.json`.
pub async fn serve() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string_pretty(document()).expect("the document serialises"),
    )
}

fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    let schema: Schema = generator.subschema_for::<T>();
    schema.to_value()
}

fn build() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    let mut generator = settings.into_generator();
    let bodies = [
        (
            schema_of::<CreatePaymentSessionRequest>(&mut generator),
            schema_of::<CreatePaymentSessionResponse>(&mut generator),
        ),
        (
            schema_of::<InquiryPaymentRequest>(&mut generator),
            schema_of::<InquiryPaymentResponse>(&mut generator),
        ),
        (
            schema_of::<CancelRequest>(&mut generator),
            schema_of::<CancelResponse>(&mut generator),
        ),
        (
            schema_of::<RefundRequest>(&mut generator),
            schema_of::<RefundResponse>(&mut generator),
        ),
        (
            schema_of::<InquiryRefundRequest>(&mut generator),
            schema_of::<InquiryRefundResponse>(&mut generator),
        ),
        (
            schema_of::<FetchReportRequest>(&mut generator),
            schema_of::<FetchReportResponse>(&mut generator),
        ),
        (
            schema_of::<AdvanceClockRequest>(&mut generator),
            schema_of::<ClockResponse>(&mut generator),
        ),
        (
            schema_of::<InquiryClockRequest>(&mut generator),
            schema_of::<ClockResponse>(&mut generator),
        ),
    ];
    let mut paths = Map::new();
    for ((path, id, summary), (request, response)) in OPERATIONS.iter().zip(bodies) {
        paths.insert(
            path.to_string(),
            json!({
                "post": {
                    "operationId": id,
                    "summary": summary,
                    "parameters": [
                        {"$ref": "#/components/parameters/ClientId"},
                        {"$ref": "#/components/parameters/RequestTime"},
                        {"$ref": "#/components/parameters/Signature"},
                    ],
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {"schema": request}},
                    },
                    "responses": {
                        "200": {
                            "description": "Every outcome, success or not: `result.resultStatus` is S, F or U (docs/protocol.md §1.5). Signed with the gateway key.",
                            "headers": {
                                "client-id": {"$ref": "#/components/headers/ClientId"},
                                "response-time": {"$ref": "#/components/headers/ResponseTime"},
                                "signature": {"$ref": "#/components/headers/Signature"},
                            },
                            "content": {"application/json": {"schema": response}},
                        },
                        "429": {
                            "description": "Only for an address that sent more than `--auth-failure-limit` requests in a second that failed authentication (no signature verified): the answer is not signed, which is what the limit saves. `result.resultCode` is REQUEST_TRAFFIC_EXCEED_LIMIT (U): slow down and retry. Requests that verify are never answered this way.",
                            "headers": {"retry-after": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {
                                "type": "object",
                                "required": ["result"],
                                "properties": {"result": {"$ref": "#/components/schemas/WireResult"}},
                            }}},
                        }
                    },
                }
            }),
        );
    }
    let schemas: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    let string = json!({"type": "string"});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Cashier",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Antom-compatible hosted-checkout payments API. Every request is signed with the merchant's RSA key and every response with the gateway's (docs/protocol.md §2): the signature covers `POST <path>\\n<client-id>.<request-time>.<body>`, RSA-SHA256, PKCS#1 v1.5. The same operations are served under /ams/sandbox/api/.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": {
                "ClientId": {
                    "name": "client-id", "in": "header", "required": true,
                    "description": "The merchant's clientId, as registered with `cashier merchant create`.",
                    "schema": string,
                },
                "RequestTime": {
                    "name": "request-time", "in": "header", "required": true,
                    "description": "When the request was signed: epoch milliseconds or ISO-8601 with an offset; refused outside the configured window (default ±10 minutes).",
                    "schema": string,
                },
                "Signature": {
                    "name": "signature", "in": "header", "required": true,
                    "description": "`algorithm=RSA256,keyVersion=N,signature=<url-encoded base64>` over `POST <path>\\n<client-id>.<request-time>.<body>`.",
                    "schema": string,
                },
            },
            "headers": {
                "ClientId": {
                    "required": true,
                    "description": "The client-id of the request.",
                    "schema": string,
                },
                "ResponseTime": {
                    "required": true,
                    "description": "When the response was signed (ISO-8601, +08:00).",
                    "schema": string,
                },
                "Signature": {
                    "required": true,
                    "description": "The gateway's signature over `POST <path>\\n<client-id>.<response-time>.<body>`.",
                    "schema": string,
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");

    #[test]
    fn committed_snapshot_matches_the_wire_types() {
        let generated = serde_json::to_string_pretty(document()).unwrap() + "\n";
        if std::env::var_os("CASHIER_UPDATE_OPENAPI").is_some() {
            std::fs::write(SNAPSHOT, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/openapi.json is stale: run CASHIER_UPDATE_OPENAPI=1 cargo test -p cashier-gateway --lib openapi"
        );
    }

    #[test]
    fn every_operation_requires_the_signing_headers_and_resolves_its_schemas() {
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        assert_eq!(paths.len(), OPERATIONS.len());
        for (path, item) in paths {
            assert!(
                crate::api::parse_api_path(path).is_some(),
                "{path} is not served"
            );
            let op = &item["post"];
            let params: Vec<&str> = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["$ref"].as_str().unwrap())
                .collect();
            assert_eq!(params.len(), 3, "{path}");
            for r in params {
                let name = r.rsplit('/').next().unwrap();
                let p = &doc["components"]["parameters"][name];
                assert_eq!((&p["in"], &p["required"]), (&json!("header"), &json!(true)));
            }
            for schema in [
                &op["requestBody"]["content"]["application/json"]["schema"],
                &op["responses"]["200"]["content"]["application/json"]["schema"],
            ] {
                let r = schema["$ref"].as_str().expect("bodies are named schemas");
                let name = r.strip_prefix("#/components/schemas/").unwrap();
                assert!(doc["components"]["schemas"][name].is_object(), "{r}");
            }
        }
        // Every $ref anywhere resolves.
        fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        out.push(r);
                    }
                    m.values().for_each(|v| refs(v, out));
                }
                Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let mut all = Vec::new();
        refs(doc, &mut all);
        for r in all {
            let pointer = r.strip_prefix('#').unwrap();
            assert!(doc.pointer(pointer).is_some(), "dangling {r}");
        }
    }
}
