//! Tables: the filter-and-sort engine, the columns of every table and their widths, the rows
//! built from the data, marks, the since-last-run marks and the short forms narrow columns use.

pub mod columns;
pub mod filter_query;
pub mod marks;
pub(crate) mod radix;
mod row_match;
pub mod row_store;
pub mod rows;
pub mod short;
pub mod since;
pub mod table;
mod text_pool;
pub mod widths;
