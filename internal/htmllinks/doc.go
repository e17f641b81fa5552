// Package htmllinks finds and checks the links of HTML files: the links a
// theme writes in its header, footer and navigation (checked on a few
// rendered pages), plain .html files users keep among their content, and
// any folder of HTML, such as html-proofer's own fixtures.
//
// # Extracting
//
// Extract reads a document with golang.org/x/net/html's tokenizer and
// returns a Doc: its links, its IDs and its <base href>. Each Link carries
// the line and byte column of its URL's first byte in the source, also
// inside multi-line tags and after character references, which are
// decoded as browsers decode attribute values.
//
// Links come from a and area href, link href (except rel=preconnect and
// rel=dns-prefetch, which name origins, not resources), img and source
// src and every srcset candidate, script, iframe, embed, audio, video and
// track src, video poster, object data, SVG href and xlink:href on a,
// use and image, and the URL of a <meta http-equiv=refresh>. That is
// html-proofer's set (a, link, img, source, script) and what else a
// browser loads or navigates to; form actions are left out. Content of
// <noscript> is read as markup.
//
// An element with a data-proofer-ignore attribute, whatever its value, is
// skipped with everything inside it, as in html-proofer. Unlike
// html-proofer, links inside code, pre and tt are kept: browsers make them
// clickable.
//
// # Checking
//
// Check checks one Doc against a site described by a Resolver, so a
// caller can check pages it holds in memory; CheckDir checks a folder as
// a site. Links resolve as in a browser, against the page and its <base>;
// then the rules are:
//
//   - A path ending in "/" needs its index.html. Another path needs that
//     file, else (Options.AssumeHTML) path.html, else path/index.html.
//     Queries are ignored; paths are percent-decoded, and a path with a
//     bad escape is broken. A missing target is a broken-link finding.
//   - A fragment needs an element with that id, or an <a> with that
//     name, in the target: raw or percent-decoded, case-sensitive. "#",
//     an empty fragment and "#top" always resolve (html-proofer accepts
//     "#" and "#top"). A fragment into a file that is not HTML, such as a
//     PDF's "#page=2", is not checked. A missing one is broken-anchor.
//   - An empty URL (href="", src="") is broken, as in html-proofer; an <a>
//     with no href at all is a placeholder and is not.
//   - mailto: needs one or more valid addresses and tel: a number, as in
//     html-proofer (whose ignore_empty_mailto we do not copy).
//     javascript:, data: and every other scheme are not checked.
//   - http, https and protocol-relative links leave the site: they are
//     returned in Result.External with an absolute Target, for a web
//     checker, or reported at once if their URL does not parse. A
//     protocol-relative URL is not a failure here (html-proofer reports
//     one), nor is http where https would do. With Options.SiteURL, links
//     to the published site are checked as internal ones.
//
// A URL is cleaned as a browser's URL parser cleans it: leading and
// trailing spaces and controls are cut, tabs and newlines dropped, and
// backslashes in a path read as slashes. An invisible character such as
// U+200B is kept, so a link starting with one is a broken relative link,
// and the finding says why.
//
// TestProoferVerdicts compares our verdicts with those html-proofer's
// spec files give on its fixtures, and lists every deliberate difference.
package htmllinks
