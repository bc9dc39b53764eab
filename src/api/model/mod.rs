//! Typed, tolerant models of the Defender and Graph resources socops reads.
