//! [`DashboardStore`] on PostgreSQL: the shared statements (`store/dashboard.rs`).

use super::*;
use crate::dashboard::dashboard_store;
use crate::time::Timestamp;

dashboard_store! {
    impl DashboardStore for PostgresStore {}
}
