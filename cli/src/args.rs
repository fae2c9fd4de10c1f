//! A small argument reader: `--name value`, `--name=value` and positionals. The CLI's
//! surface is small and stable, so this is kept here rather than pulling in a parser crate.

use std::collections::VecDeque;

/// The remaining command-line arguments.
pub struct Args {
    rest: VecDeque<String>,
}

impl Args {
    pub fn from_env() -> Args {
        Args {
            rest: std::env::args().skip(1).collect(),
        }
    }

    /// Arguments from a list (tests).
    #[cfg(test)]
    pub fn from_vec(args: Vec<String>) -> Args {
        Args { rest: args.into() }
    }

    /// The next argument if it is not an option.
    pub fn next_positional(&mut self) -> Option<String> {
        match self.rest.front() {
            Some(a) if !a.starts_with("--") || a == "--help" || a == "--version" => {
                self.rest.pop_front()
            }
            _ => None,
        }
    }

    /// Parses the remaining arguments against the options a command takes (each takes a
    /// value). Returns the options in order and the positionals.
    pub fn parse(self, valued: &[&str]) -> Result<Parsed, String> {
        let mut parsed = Parsed::default();
        let mut rest = self.rest;
        let mut only_positionals = false;
        while let Some(arg) = rest.pop_front() {
            if only_positionals || !arg.starts_with("--") || arg == "-" {
                parsed.positionals.push(arg);
                continue;
            }
            if arg == "--" {
                only_positionals = true;
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
                None => (arg.clone(), None),
            };
            if valued.contains(&name.as_str()) {
                let value = match inline {
                    Some(v) => v,
                    None => rest
                        .pop_front()
                        .ok_or_else(|| format!("{name} needs a value"))?,
                };
                parsed.options.push((name, value));
            } else {
                return Err(format!("unknown option {name}"));
            }
        }
        Ok(parsed)
    }
}

#[derive(Default)]
pub struct Parsed {
    pub options: Vec<(String, String)>,
    pub positionals: Vec<String>,
}

impl Parsed {
    /// Every value of a repeatable option.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.options
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The value of an option given at most once.
    pub fn one(&self, name: &str) -> Result<Option<String>, String> {
        let mut values = self.all(name);
        match values.len() {
            0 => Ok(None),
            1 => Ok(values.pop()),
            _ => Err(format!("{name} is given more than once")),
        }
    }

    /// A non-negative integer option (of `issue` and `present`; the policy's numbers are read
    /// by the core's `Policy::set_option`).
    #[cfg(feature = "issuer")]
    pub fn number(&self, name: &str) -> Result<Option<u64>, String> {
        self.one(name)?
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| format!("{name}: \"{v}\" is not a non-negative integer"))
            })
            .transpose()
    }
}
