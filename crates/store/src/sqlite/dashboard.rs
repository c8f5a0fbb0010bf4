//! [`DashboardStore`] on SQLite: the shared statements (`store/dashboard.rs`).

use super::*;
use crate::dashboard::dashboard_store;

dashboard_store! {
    impl DashboardStore for SqliteStore {}
}
