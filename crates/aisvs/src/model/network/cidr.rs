//! CIDR blocks (IPv4 and IPv6) with containment, for `ipBlock`, Cilium `toCIDR`/`toCIDRSet` and Calico `nets`.

use std::net::IpAddr;

/// A parsed CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    /// Network address (host bits are kept as written; containment masks them).
    pub addr: IpAddr,
    /// Prefix length.
    pub prefix: u8,
}

impl Cidr {
    /// Parses `10.0.0.0/8`, `::/0`, or a bare address (as /32 or /128); `None` when it does not parse.
    pub fn parse(text: &str) -> Option<Cidr> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, p.parse::<u8>().ok()?),
            None => {
                let a = text.parse::<IpAddr>().ok()?;
                (a, if a.is_ipv4() { 32 } else { 128 })
            }
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    /// `0.0.0.0/0` or `::/0`.
    pub fn is_everything(&self) -> bool {
        self.prefix == 0
    }

    /// Whether the block contains the address (different families never contain each other).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(self.prefix))
                };
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(self.prefix))
                };
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }

    /// Whether this block lies entirely inside `other`.
    pub fn within(&self, other: &Cidr) -> bool {
        other.prefix <= self.prefix && other.contains(self.addr)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment() {
        let all = Cidr::parse("0.0.0.0/0").unwrap_or_else(|| panic!("parse"));
        let link_local = Cidr::parse("169.254.0.0/16").unwrap_or_else(|| panic!("parse"));
        let imds: IpAddr = [169, 254, 169, 254].into();
        assert!(all.is_everything() && all.contains(imds) && link_local.contains(imds));
        assert!(!Cidr::parse("10.0.0.0/8").is_some_and(|c| c.contains(imds)));
        let v6 = Cidr::parse("fd00:ec2::254/128").unwrap_or_else(|| panic!("parse"));
        assert!(v6.within(&Cidr::parse("::/0").unwrap_or_else(|| panic!("parse"))));
        assert!(!v6.contains(imds));
    }

    #[test]
    fn bad_cidrs_do_not_parse() {
        for t in ["10.0.0.0/33", "banana", "10.0.0/8", "::/129", ""] {
            assert_eq!(Cidr::parse(t), None, "{t}");
        }
    }
}
