// Package chart draws the handbook's pictures — the tech radar, the ADR
// timeline and the incident charts — as standalone SVG generated at build
// time. Nothing needs JavaScript to be seen; the pictures are meant to be
// written inline into an HTML page, so the links inside them work and the
// page's own CSS applies.
//
// # Output
//
// Every function returns one complete <svg> element:
//
//   - viewBox="0 0 W H" with width and height attributes giving the natural
//     size, and style="max-width:100%;height:auto" so it shrinks to the
//     column on a phone and keeps its aspect ratio;
//   - role="img" with a <title> and a <desc> it is labelled by;
//   - one <style> element whose rules are all scoped under a class unique
//     to the kind of picture (hb-radar, hb-adr, hb-incidents, hb-times), so
//     nothing leaks into the page and two pictures of different kinds do not
//     disturb each other. The root also carries the class hb-chart, for the
//     page to style;
//   - colours defined in that <style>: light by default, overridden under
//     @media screen and (prefers-color-scheme: dark), like the default theme
//     (print always uses the light colours). Text, muted text, lines and
//     links use the theme's custom properties (--fg, --fg-muted, --border,
//     --link, --bg, --font) when the page defines them, with the theme's own
//     values as fallbacks, so a picture matches the page it sits in and still
//     looks right on its own;
//   - a background rectangle of the page's colour, invisible on a page that
//     follows the reader's scheme, which keeps the picture readable on a
//     page that does not (a dark card on a light page);
//   - the system font stack, and no text smaller than 11px at the natural
//     width. The ADR graph and the incident charts are 640px wide, the width
//     of the default theme's text column; the radar is about 640 to 760px
//     and grows with crowded cells. On a phone a picture scales down with
//     its text, so pages should also give the same facts as HTML (a table of
//     the blips, the ADR log), which reflows.
//
// Ids: several pictures can sit on one page, so every id a picture emits
// starts with the ID of its options (sanitized to letters, digits, '-' and
// '_'). When ID is empty, one is derived from a hash of the picture's
// content, which is unique unless the same picture appears twice. Pictures
// use no url(#id) references (arrowheads are drawn, not markers), so a
// <base> element on the page cannot break them.
//
// Links: Href values are written as given (they are expected to include the
// site's base path), except that a URL with a scheme other than http,
// https or mailto (such as javascript:) is replaced by "#".
//
// Text from the user is XML-escaped; invalid UTF-8 and characters XML does
// not allow are replaced, so the output is always well-formed XML.
//
// Output is deterministic: the same input gives byte-identical output.
// Nothing depends on map order, the clock or the locale; the only
// "randomness" is the radar's scatter of blips, seeded from each blip's
// title with FNV-1a.
//
// # Radar
//
// [Radar] draws a technology radar: rings as concentric bands (innermost
// first), quadrants as equal angular sectors starting at 12 o'clock and going
// clockwise (any number of them), one numbered, linked blip per evaluation,
// and a legend below. Blips never overlap and never cross the boundaries of
// their cell (the band of their ring within the sector of their quadrant).
// Each cell is filled either by a best-candidate scatter seeded from the
// titles (when it is sparse) or by evenly spread rows of blips along arcs
// (when it is crowded, or when the scatter fails); a band that cannot hold
// its blips is widened, so the picture grows instead of overlapping.
// [BlipPositions] returns the resulting circles for tests and other layouts.
// A new blip wears a full ring around its disc; a blip that moved wears a
// half ring on the side it moved towards (facing the centre when it moved
// in); the key below the radar shows both.
//
// # ADR graph
//
// [ADRGraph] draws ADRs on a time axis, one box per ADR coloured by status,
// stacked in lanes so that no two boxes overlap, with an arrow from each
// superseding ADR to the one it supersedes. Undated ADRs are placed after the
// axis in a column of their own.
//
// # Incident charts
//
// [IncidentsPerMonth] draws a stacked bar per calendar month, stacked by
// severity; every incident is its own linked segment. [IncidentTimes] draws
// time to detect and time to resolve of each incident as two bars on a
// shared duration axis.
package chart
