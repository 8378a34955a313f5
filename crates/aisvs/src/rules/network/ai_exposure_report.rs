//! The verdict of one subject (a container, a Compose service) over its AI servers' reachable ports, shared by
//! k8s-ai-endpoint-exposure and compose-ai-endpoint-exposure so both rank and word their evidence alike.

use crate::evidence::{Location, Subject};
use crate::rules::EvidenceSink;

use super::ai_servers::Auth;

/// What one subject's servers came to.
#[derive(Debug, Default)]
pub struct ServerFindings {
    /// Reachable without authentication, or authentication disabled: each with its place.
    pub fails: Vec<(String, Location)>,
    /// Reachability or authentication the files do not show.
    pub unknown: Vec<(String, Location)>,
    /// What makes a pass (ports not reachable, or reachable with authentication).
    pub notes: Vec<String>,
}

impl ServerFindings {
    /// Records one reachable admin port (`what` names it, `via` says how it is reached) by the server's auth.
    pub fn reachable(&mut self, auth: &Auth, what: String, via: &str, at: Location) {
        match auth {
            Auth::Off(why) => self.fails.push((format!("{what} {via} and {why}"), at)),
            Auth::Unknown(why) => self.unknown.push((format!("{what} {via} and {why}"), at)),
            Auth::On(how) => self.notes.push(format!("{what} {via} with auth ({how})")),
            // Reported once per server, before its ports are looked at.
            Auth::Disabled(_) => {}
        }
    }

    /// Records a port that may be reachable (the files do not show where it listens or which port it is): it
    /// matters only when authentication is not known to be on.
    pub fn maybe_reachable(&mut self, auth: &Auth, why: String, at: Location) {
        match auth {
            Auth::On(how) => self.notes.push(format!("{why}, with auth ({how})")),
            Auth::Disabled(_) => {}
            Auth::Off(_) | Auth::Unknown(_) => self.unknown.push((why, at)),
        }
    }

    /// One piece of evidence: a failure (the first place, the others related), else inconclusive, else a pass.
    /// `label` (`container \`x\``) opens the failure message.
    pub fn emit(self, out: &mut EvidenceSink, subject: Subject, label: &str, pass_at: Location) {
        let joined = |items: &[(String, Location)]| {
            items
                .iter()
                .map(|(m, _)| m.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        };
        if let Some((_, at)) = self.fails.first() {
            let e = out.fail(
                subject,
                Some(at.clone()),
                format!("{label}: {}", joined(&self.fails)),
            );
            for (m, l) in self.fails.iter().skip(1) {
                e.related.push((l.clone(), m.clone()));
            }
        } else if let Some((_, at)) = self.unknown.first() {
            out.inconclusive(subject, Some(at.clone()), joined(&self.unknown));
        } else {
            out.pass(subject, Some(pass_at), self.notes.join("; "));
        }
    }
}
