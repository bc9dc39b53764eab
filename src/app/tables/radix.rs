//! Ordering rows by 32-bit sort keys (text ranks, severities, counts, epoch seconds) with a
//! stable radix sort: linear in the rows, and ties keep the service's order.

/// Row indices ordered by `keys` (ascending), ties in index order: a stable LSD radix sort,
/// one pass per byte that differs among the keys (a column with few distinct values takes one
/// or two passes). At 100,000 rows it is several times faster than a comparison sort.
pub(crate) fn radix_order(keys: &[u32]) -> Vec<usize> {
    let n = keys.len();
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut spare: Vec<u32> = vec![0; n];
    let (mut or, mut and) = (0u32, u32::MAX);
    for &k in keys {
        or |= k;
        and &= k;
    }
    for shift in [0u32, 8, 16, 24] {
        // Every key has the same byte here: this pass would not move anything.
        if ((or ^ and) >> shift) & 0xFF == 0 {
            continue;
        }
        let digit = |i: u32| ((keys[i as usize] >> shift) & 0xFF) as usize;
        let mut start = [0usize; 257];
        for &i in &order {
            start[digit(i) + 1] += 1;
        }
        for d in 1..257 {
            start[d] += start[d - 1];
        }
        for &i in &order {
            let d = digit(i);
            spare[start[d]] = i;
            start[d] += 1;
        }
        std::mem::swap(&mut order, &mut spare);
    }
    order.into_iter().map(|i| i as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_like_a_stable_sort() {
        // A generator of keys: few distinct values (ties), and keys across all four bytes.
        let mut x: u64 = 42;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u32
        };
        for modulo in [1u32, 3, 300, 70_000, u32::MAX] {
            let keys: Vec<u32> = (0..5_000).map(|_| next() % modulo).collect();
            let mut want: Vec<usize> = (0..keys.len()).collect();
            want.sort_by_key(|&i| keys[i]);
            assert_eq!(radix_order(&keys), want, "keys modulo {modulo}");
        }
        assert_eq!(radix_order(&[]), Vec::<usize>::new());
        assert_eq!(radix_order(&[u32::MAX, 0, u32::MAX, 1]), [1, 3, 0, 2]);
    }
}
