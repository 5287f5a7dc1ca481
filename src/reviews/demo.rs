//! Demo data for reviews: filled in below.
