//! Devices by machine id, for the rows whose own `computerDnsName` is null (actions, alerts,
//! investigations are named from the inventory). An index into the loaded machines, 12 bytes
//! a device, instead of a map holding a copy of every id and name (about 18 MB at 100,000
//! devices).

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::api::model::Machine;

/// `(hash of the id, position in the machines)`, sorted.
#[derive(Debug, Clone, Default)]
pub struct DeviceIndex {
    by_hash: Vec<(u64, u32)>,
}

fn hash(id: &str) -> u64 {
    // `DefaultHasher::new()` has fixed keys: the same id always has the same hash.
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl DeviceIndex {
    /// The index of `machines`.
    pub fn build(machines: &[Machine]) -> Self {
        let mut by_hash: Vec<(u64, u32)> = machines
            .iter()
            .enumerate()
            .map(|(i, m)| (hash(&m.id), i as u32))
            .collect();
        by_hash.sort_unstable();
        DeviceIndex { by_hash }
    }

    /// Forget every device (another tenant).
    pub fn clear(&mut self) {
        self.by_hash = Vec::new();
    }

    /// The machine with id `id` among `machines` (the list the index was built from; a
    /// position that no longer holds that id finds nothing).
    pub fn find<'a>(&self, machines: &'a [Machine], id: &str) -> Option<&'a Machine> {
        let h = hash(id);
        let from = self.by_hash.partition_point(|&(x, _)| x < h);
        self.by_hash[from..]
            .iter()
            .take_while(|&&(x, _)| x == h)
            .filter_map(|&(_, i)| machines.get(i as usize))
            .find(|m| m.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str, name: &str) -> Machine {
        Machine {
            id: id.into(),
            computer_dns_name: Some(name.into()),
            ..Default::default()
        }
    }

    #[test]
    fn finds_by_id_and_only_in_the_list_it_was_built_from() {
        let ms = vec![m("a1", "pc-01.contoso.com"), m("b2", "pc-02")];
        let ix = DeviceIndex::build(&ms);
        assert_eq!(ix.find(&ms, "b2").map(Machine::short_name), Some("pc-02"));
        assert_eq!(ix.find(&ms, "a1").map(Machine::short_name), Some("pc-01"));
        assert!(ix.find(&ms, "zz").is_none());
        // A list that changed since (another tenant's) is not misread.
        let other = vec![m("c3", "x"), m("d4", "y")];
        assert!(ix.find(&other, "a1").is_none());
        let mut ix = ix;
        ix.clear();
        assert!(ix.find(&ms, "a1").is_none());
    }
}
