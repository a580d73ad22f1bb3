//! Renders a [`Plan`](crate::plan::Plan) for people and tools: text,
//! markdown (pull requests), JSON (stable), and plain SQL.
