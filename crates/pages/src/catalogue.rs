//! The catalogue machinery: Project Fluent catalogues turned into a struct of strings, one
//! per locale. The hosted pages' [`crate::Strings`] use it, and so does any other crate
//! with visible text (the gateway's dashboard declares its `DashStrings` with it).
//!
//! [`define_strings!`](crate::define_strings) declares the struct: a `&'static str` field
//! per message without variables (formatted once per locale, on first use) and a method
//! per message with variables (`t.pay(&amount)`), so the code can only name messages it
//! declared; `MESSAGES` lists every id with the variables the code passes, and
//! `for_locale(locale)` parses the locale's catalogue once and keeps it for the process.
//! Variables are substituted *before* HTML escaping (the templates escape the result),
//! so merchant-supplied values stay escaped; numbers select the locale's plural form.
//!
//! [`check`] is what each crate's tests run over its catalogues: every declared message is
//! there with the same variables, none is there that nobody declared, every message
//! formats without errors and to something. [`untranslated`] names the messages a
//! translation left equal to another catalogue.
//!
//! Markup inside a sentence (a `<code>` or a link in the middle of a help text) is a
//! variable of the message: the template passes [`SLOTS`] for those variables and puts its
//! markup between the [`pieces`], so the sentence stays one message for translators and
//! every piece is still escaped.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;
pub use fluent_bundle::{FluentArgs, FluentValue};
use fluent_syntax::ast;

use crate::Locale;

/// One parsed catalogue (thread-safe: shared by every request).
pub type Bundle = FluentBundle<FluentResource>;

/// Declares a struct of translated strings read from Fluent catalogues.
///
/// ```
/// use cashier_pages::Locale;
///
/// cashier_pages::define_strings! {
///     /// Every visible string of a page in one language.
///     pub struct ShopStrings;
///     // `fn(Locale) -> &'static str`: the catalogue's text for a locale (usually
///     // `include_str!` of `locales/<code>.ftl`).
///     catalogue = |_locale| "login_title = Log in\n\
///         page_title = { $page } – Dashboard\n\
///         attempts = { $count ->\n    [one] { $count } attempt\n   *[other] { $count } attempts\n}\n";
///     plain {
///         /// Heading of the login page.
///         login_title,
///     }
///     with_args {
///         /// `<title>` of every page; `page` = the page's own title.
///         page_title(page: &str),
///         /// Plural: `count` selects the form.
///         attempts(count: u32),
///     }
/// }
///
/// let t = ShopStrings::for_locale(Locale::EnUs);
/// assert_eq!(t.login_title, "Log in");
/// assert_eq!(t.page_title("Payments"), "Payments – Dashboard");
/// assert_eq!(t.attempts(1), "1 attempt");
/// assert_eq!(t.attempts(2), "2 attempts");
/// ```
///
/// The struct gets a `pub &'static str` field per `plain` message, a method per
/// `with_args` message (its arguments become the Fluent variables of the same names),
/// `MESSAGES` (every id with its variables, for [`check`]) and `for_locale(locale)`.
/// A message id is the Rust name (`login_title`), so catalogues use snake_case ids.
#[macro_export]
macro_rules! define_strings {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident;
        catalogue = $source:expr;
        plain { $( $(#[$pmeta:meta])* $pname:ident, )* }
        with_args { $( $(#[$ameta:meta])* $aname:ident ( $( $arg:ident : $ty:ty ),+ ), )* }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$pmeta])* pub $pname: &'static str, )*
            bundle: $crate::catalogue::Bundle,
        }

        impl $name {
            /// Every message id with the variables the code passes to it.
            pub const MESSAGES: &'static [(&'static str, &'static [&'static str])] = &[
                $( (stringify!($pname), &[]), )*
                $( (stringify!($aname), &[$( stringify!($arg) ),+]), )*
            ];

            /// The strings of `locale`: its catalogue parsed, and the messages without
            /// variables formatted, on first use; then kept for the process.
            pub fn for_locale(locale: $crate::Locale) -> &'static $name {
                static LOADED: $crate::catalogue::PerLocale<$name> =
                    $crate::catalogue::PerLocale::new();
                LOADED.get_or_init(locale, || {
                    let source: fn($crate::Locale) -> &'static str = $source;
                    let bundle = $crate::catalogue::bundle(source(locale), locale);
                    $name {
                        $( $pname: $crate::catalogue::leak($crate::catalogue::format(
                            &bundle,
                            stringify!($pname),
                            None,
                        )), )*
                        bundle,
                    }
                })
            }

            $(
                $(#[$ameta])*
                pub fn $aname(&self, $( $arg: $ty ),+) -> String {
                    let mut args = $crate::catalogue::FluentArgs::new();
                    $( args.set(stringify!($arg), $crate::catalogue::FluentValue::from($arg)); )+
                    $crate::catalogue::format(&self.bundle, stringify!($aname), Some(&args))
                }
            )*
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("locales", &self.bundle.locales)
                    .finish()
            }
        }
    };
}

/// One value per [`Locale`], made on first use (the cache behind `for_locale`).
pub struct PerLocale<T>([OnceLock<T>; Locale::ALL.len()]);

impl<T> PerLocale<T> {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        PerLocale([const { OnceLock::new() }; Locale::ALL.len()])
    }

    pub fn get_or_init(&self, locale: Locale, init: impl FnOnce() -> T) -> &T {
        self.0[locale.index()].get_or_init(init)
    }
}

/// A message formatted once per locale lives as long as the process: at most
/// [`Locale::ALL`] × the declared messages, short strings.
pub fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// `id` formatted with `args`. A message or variable missing from a catalogue is a bug
/// the tests catch ([`check`]); at run time the reader then sees Fluent's `{$name}`
/// marker or the id rather than nothing.
pub fn format(bundle: &Bundle, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    debug_assert!(errors.is_empty(), "{id}: {errors:?}");
    text.into_owned()
}

/// `source` (a catalogue's text) parsed into a bundle for `locale` (its plural rules).
/// Panics on a syntax error: catalogues are compiled in and [`check`] parses each one in
/// the tests, so this never reaches a user.
pub fn bundle(source: &str, locale: Locale) -> Bundle {
    try_bundle(source, locale).unwrap_or_else(|e| panic!("{}.ftl: {e}", locale.code()))
}

fn try_bundle(source: &str, locale: Locale) -> Result<Bundle, String> {
    let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, e)| format!("{e:?}"))?;
    let tag = locale.tag().parse().map_err(|e| format!("{e}"))?;
    let mut bundle = Bundle::new_concurrent(vec![tag]);
    // Isolation marks (U+2068/U+2069) only matter around right-to-left values; every
    // locale and value here is left to right, and the marks would end up in titles.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|e| format!("{e:?}"))?;
    Ok(bundle)
}

/// Values a template passes for the variables of a message that it fills with markup;
/// [`pieces`] then cuts the formatted message at them. Private-use characters, which no
/// catalogue or value contains.
pub const SLOTS: [&str; 4] = ["\u{E000}", "\u{E001}", "\u{E002}", "\u{E003}"];

/// `text` (a message formatted with [`SLOTS`] for `N - 1` of its variables) cut at the
/// slots, in order, into `N` pieces: the template writes piece 0, the markup of slot 0,
/// piece 1, and so on. A catalogue that lost a slot gives empty pieces at the end (and
/// fails its tests, [`slot_order`]); never a panic.
pub fn pieces<const N: usize>(text: &str) -> [String; N] {
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for (i, piece) in text
        .split(|c| SLOTS.iter().any(|s| s.starts_with(c)))
        .enumerate()
    {
        match out.get_mut(i) {
            Some(slot) => *slot = piece.to_owned(),
            None => {
                if let Some(last) = out.last_mut() {
                    last.push_str(piece);
                }
            }
        }
    }
    out
}

/// The slots of `text` in the order they appear (for tests: a translation must keep the
/// order of the markup it is given).
pub fn slot_order(text: &str) -> Vec<usize> {
    text.chars()
        .filter_map(|c| SLOTS.iter().position(|s| s.starts_with(c)))
        .collect()
}

/// message id → the variables its value uses (in any variant), with the problems found
/// while reading `source`: syntax errors, a message defined twice, terms (which the
/// variable check cannot follow).
pub fn variables(source: &str) -> (BTreeMap<String, BTreeSet<String>>, Vec<String>) {
    let mut problems = Vec::new();
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((r, errors)) => {
            problems.extend(errors.iter().map(|e| format!("cannot parse: {e:?}")));
            r
        }
    };
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                } else {
                    problems.push(format!("{} has no value", m.id.name));
                }
                let id = m.id.name.to_owned();
                if out.insert(id.clone(), vars).is_some() {
                    problems.push(format!("{id} is defined twice"));
                }
            }
            ast::Entry::Term(t) => problems.push(format!("unexpected term -{}", t.id.name)),
            ast::Entry::Junk { content } => problems.push(format!("cannot parse {content:?}")),
            _ => {}
        }
    }
    (out, problems)
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            match expression {
                ast::Expression::Inline(e) => inline_vars(e, out),
                ast::Expression::Select { selector, variants } => {
                    inline_vars(selector, out);
                    for v in variants {
                        pattern_vars(&v.value, out);
                    }
                }
            }
        }
    }
}

fn inline_vars(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => match expression.as_ref() {
            ast::Expression::Inline(e) => inline_vars(e, out),
            ast::Expression::Select { selector, variants } => {
                inline_vars(selector, out);
                for v in variants {
                    pattern_vars(&v.value, out);
                }
            }
        },
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, out);
            }
            for a in &arguments.named {
                inline_vars(&a.value, out);
            }
        }
        _ => {}
    }
}

/// Every value the checks give a variable: a word (string selectors take their default
/// variant), then numbers that reach each plural category of the supported locales.
const SAMPLES: [Option<u32>; 6] = [None, Some(0), Some(1), Some(2), Some(5), Some(21)];

fn sample_args(vars: &[&str], sample: Option<u32>) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    for v in vars {
        match sample {
            None => args.set(v.to_string(), FluentValue::from("X")),
            Some(n) => args.set(v.to_string(), FluentValue::from(n)),
        }
    }
    args
}

/// The problems of `sources` (each a locale's catalogue text) against `messages` (the
/// `MESSAGES` of a struct made by [`define_strings!`](crate::define_strings)), each
/// starting with the catalogue's name (`en_US.ftl: …`): a message missing or with other
/// variables than the code passes, a message nobody declared, a syntax error, a message
/// that does not format without errors or formats to nothing (with every variable a word,
/// then each of several numbers). Empty when all is well.
pub fn check(messages: &[(&str, &[&str])], sources: &[(Locale, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    for &(locale, source) in sources {
        let file = format!("{}.ftl", locale.code());
        let (found, read) = variables(source);
        problems.extend(read.into_iter().map(|p| format!("{file}: {p}")));
        for (id, vars) in messages {
            let Some(in_file) = found.get(*id) else {
                problems.push(format!("{file}: {id} is missing"));
                continue;
            };
            let declared: BTreeSet<String> = vars.iter().map(|v| v.to_string()).collect();
            if *in_file != declared {
                problems.push(format!(
                    "{file}: {id} uses variables {in_file:?}, the code passes {declared:?}"
                ));
            }
        }
        for id in found.keys() {
            if !messages.iter().any(|(m, _)| m == id) {
                problems.push(format!("{file}: {id} is not used by the code"));
            }
        }
        let bundle = match try_bundle(source, locale) {
            Ok(b) => b,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        for (id, vars) in messages {
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            for sample in SAMPLES {
                let args = sample_args(vars, sample);
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                if !errors.is_empty() {
                    problems.push(format!("{file}: {id}: {errors:?}"));
                } else if text.trim().is_empty() {
                    problems.push(format!("{file}: {id} is empty"));
                }
                if vars.is_empty() {
                    break;
                }
            }
        }
    }
    problems
}

/// The ids of `messages` whose text in `translation` equals their text in `reference`
/// (every variable set to the same word): forgotten translations, unless the two
/// languages share the word.
pub fn untranslated<'a>(
    messages: &[(&'a str, &[&str])],
    reference: (Locale, &str),
    translation: (Locale, &str),
) -> Vec<&'a str> {
    let a = bundle(reference.1, reference.0);
    let b = bundle(translation.1, translation.0);
    let text = |bundle: &Bundle, id: &str, vars: &[&str]| {
        let pattern = bundle.get_message(id).and_then(|m| m.value())?;
        let args = sample_args(vars, None);
        Some(
            bundle
                .format_pattern(pattern, Some(&args), &mut Vec::new())
                .into_owned(),
        )
    };
    messages
        .iter()
        .filter(|(id, vars)| text(&a, id, vars).is_some_and(|t| Some(t) == text(&b, id, vars)))
        .map(|(id, _)| *id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::define_strings! {
        /// A catalogue of two messages, to test the macro and the checks on.
        struct Sample;
        catalogue = |_| SAMPLE;
        plain {
            /// Plain.
            hello,
        }
        with_args {
            /// A plural and a slot.
            items(count: u32, link: &str),
        }
    }

    const SAMPLE: &str = "\
# A comment.
hello = Hello
items = { $count ->
        [one] { $count } item
       *[other] { $count } items
    } in { $link }.
";

    #[test]
    fn the_macro_formats_plain_messages_once_and_the_others_with_their_variables() {
        let t = Sample::for_locale(Locale::EnUs);
        assert!(std::ptr::eq(t, Sample::for_locale(Locale::EnUs)));
        assert_eq!(t.hello, "Hello");
        assert_eq!(t.items(1, "the cart"), "1 item in the cart.");
        assert_eq!(t.items(3, "the cart"), "3 items in the cart.");
        assert_eq!(
            Sample::MESSAGES,
            &[("hello", &[][..]), ("items", &["count", "link"][..])]
        );
        assert!(check(Sample::MESSAGES, &[(Locale::EnUs, SAMPLE)]).is_empty());
    }

    #[test]
    fn slots_cut_a_message_around_its_markup() {
        let t = Sample::for_locale(Locale::EnUs);
        let text = t.items(2, SLOTS[0]);
        assert_eq!(pieces::<2>(&text), ["2 items in ", "."]);
        assert_eq!(slot_order(&text), [0]);
        assert_eq!(pieces::<2>("no slot"), ["no slot", ""]);
        assert_eq!(pieces::<2>("a\u{E000}b\u{E001}c"), ["a", "bc"]);
    }

    #[test]
    fn check_names_every_kind_of_problem() {
        let source = "\
hello = Hello
items = { $count } items in { $where }
extra = Nobody uses me
blank = { \"\" }
-term = A term
broken = {
";
        let messages: &[(&str, &[&str])] = &[
            ("hello", &[]),
            ("items", &["count", "link"]),
            ("missing", &[]),
            ("blank", &[]),
        ];
        let problems = check(messages, &[(Locale::EnUs, source)]).join("\n");
        for p in [
            "en_US.ftl: missing is missing",
            "en_US.ftl: items uses variables",
            "en_US.ftl: extra is not used by the code",
            "en_US.ftl: unexpected term -term",
            "en_US.ftl: cannot parse",
        ] {
            assert!(problems.contains(p), "{p} not in:\n{problems}");
        }
        let ok = "hello = Hello\nitems = { $count } in { $link }\nmissing = M\nblank = B\n";
        assert!(check(messages, &[(Locale::EnUs, ok)]).is_empty());
        let empty =
            "hello = Hello\nitems = { $count } in { $link }\nmissing = M\nblank = { \"\" }\n";
        assert_eq!(
            check(messages, &[(Locale::EnUs, empty)]),
            ["en_US.ftl: blank is empty"]
        );
    }

    #[test]
    fn untranslated_names_messages_equal_to_the_reference() {
        let en = "hello = Hello\nitems = { $count } items in { $link }\n";
        let de = "hello = Hallo\nitems = { $count } items in { $link }\n";
        assert_eq!(
            untranslated(Sample::MESSAGES, (Locale::EnUs, en), (Locale::DeDe, de)),
            ["items"]
        );
    }
}
