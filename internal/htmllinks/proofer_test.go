package htmllinks

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/golden"
)

// The verdicts html-proofer (gjtorikian/html-proofer @ 68a8936, MIT) gives
// on its own fixtures, from its spec files, checked against ours. The
// fixtures are read from the shared corpus; only their HTML files were
// kept there, so the test copies them and recreates, empty, the other
// files the upstream tree has at that commit (images, a stylesheet, a
// script, PDFs), by name only.
const proofer = "../../../shared/corpus/fixtures-html-proofer/spec/html-proofer/fixtures"

// prooferFiles are the non-HTML files of spec/html-proofer/fixtures at
// 68a8936, other than caches and HTTP recordings.
var prooferFiles = []string{
	"css/empty.css",
	"images/1.webp",
	"images/assets/folder/assets/barrel.png",
	"images/assets/gpl.png",
	"images/gpl.png",
	"images/webp/user_1200x1200_fit_q75_h2_lanczos.webp",
	"images/webp/user_400.webp",
	"images/webp/user_760.webp",
	"links/exists.pdf",
	"links/file.foo",
	"links/folder-php/file.xhtml",
	"links/folder-php/index.php",
	"links/folder/assets/barrel.png",
	"links/gpl.png",
	"links/large.pdf",
	"links/same_name_as_dir/.gitkeep",
	"opengraph/gpl.png",
	"resources/Screen Shot 2012-08-09 at 7.51.18 AM.png",
	"resources/books/assets/getting-good-with-git.jpg",
	"resources/books/assets/pro-git.jpg",
	"resources/books/assets/version-control-with-git.jpg",
	"resources/gpl.png",
	"scripts/script.js",
	// links_spec "passes for urlencoded href" creates this file first.
	"links/erstiebegrüßung.html",
}

// A verdict is one example of html-proofer's specs on one fixture.
type verdict struct {
	spec string // spec file and example
	path string // fixture file, or folder if dir, under fixtures/
	dir  bool
	// root is the site root under fixtures/ when it is not the file's
	// folder (html-proofer's root_dir, or a relative link climbing out).
	root string
	// want lists the URLs, as written, that html-proofer reports as
	// failures without fetching anything: missing files and fragments,
	// empty or malformed URLs, protocol-relative and http URLs.
	want []string
	// external lists the targets handed to the web checker.
	external []string
	// differs marks a deliberate difference: we report ours, not want.
	differs bool
	ours    []string
	note    string // why we differ, or how the example was emulated
	// web marks an example whose verdict needs the network: we check
	// only that the links reach the web checker and none is reported.
	web bool

	noAssumeHTML bool   // assume_extension: ""
	siteURL      string // emulates a swap_urls that strips a host
}

// verdicts holds the examples of links_spec, images_spec, scripts_spec
// and favicon_spec (and a few of element_spec, cli_spec and cache_spec)
// that run a check on a fixture with links. Left out: examples of checks
// that are not about links (alt text, SRI and CORS, favicon presence,
// empty <script>, the "Screen Shot" file-name lint, OpenGraph), of options
// about fetching (only_4xx, check_external_hash, typhoeus, hydra, caches),
// and of runs not modelled here (a list of URLs, several roots at once,
// ignore_files, extensions other than .html).
var verdicts = []verdict{
	// links_spec.rb
	{spec: "links: fails for broken internal hash (even if the file exists)", path: "links/broken_hash_external_file.html", root: ".",
		want: []string{"../images/missing_image_alt.html#asdfasfdkafl"}},
	{spec: "links: fails for broken hashes on the web when asked", web: true, path: "links/broken_hash_on_the_web.html",
		external: []string{"https://guides.rubyonrails.org/active_record_basics.html#no"}},
	{spec: "links: passes for GitHub hashes on the web when asked", web: true, path: "links/github_hash.html",
		external: []string{"https://github.com/gjtorikian/html-proofer#whats-tested", "https://github.com/typhoeus/typhoeus#other-curl-options"}},
	{spec: "links: passes for GitHub hashes to a file on the web when asked", web: true, path: "links/github_file_hash.html",
		external: []string{
			"https://github.com/arturoherrero/yarr/blob/v0.0.1/spec/lib/interpreter_spec.rb#L22-L26",
			"https://github.com/gjtorikian/html-proofer/blob/19c55fdbf4cd2d35c037ffc864681f4d7b2c0a3d/Rakefile#L14-L29",
			"https://github.com/gjtorikian/html-proofer/blob/master/Rakefile#L14-L29",
		}},
	{spec: "links: fails for broken internal hash", path: "links/broken_hash_internal.html",
		want: []string{"#noHash"}},
	{spec: "links: passes for internal links with non-ASCII characters from implicit indexes", path: "links/hash_nonascii_dir", dir: true},
	{spec: "links: passes for broken internal hash when asked to ignore", path: "links/broken_hash_internal.html",
		differs: true, ours: []string{"#noHash"}, note: "check_internal_hash: false not emulated: fragments are always checked"},
	{spec: "links: finds hash pointing to same page in nested dir", path: "links/public", dir: true,
		external: []string{
			"https://en.wikipedia.org/wiki/JSON",
			"https://github.com/yktoo/indicator-sound-switcher/blob/master/README.md",
			"https://github.com/yktoo/indicator-sound-switcher/issues/13",
			"https://github.com/yktoo/indicator-sound-switcher/issues/24",
			"https://github.com/yktoo/indicator-sound-switcher/issues/28",
			"https://github.com/yktoo/indicator-sound-switcher/issues/30",
			"https://github.com/yktoo/indicator-sound-switcher/issues/31",
			"https://github.com/yktoo/indicator-sound-switcher/issues/32",
			"https://www.gnu.org/software/gettext/",
		}},
	{spec: "links: finds internal hash with implict index", path: "links/implicit_internal", dir: true},
	{spec: "links: passes for valid hashes on index URLs without extensions", path: "links/index_with_hashes", dir: true},
	{spec: "links: fails to find internal hash with implict index if not asked to follow", path: "links/implicit_internal", dir: true,
		want:    []string{"foo/bar#hash"},
		differs: true, note: "followlocation: false not emulated: a folder link without its slash resolves, as a server's redirect makes it"},
	{spec: "links: passes when linking to the top", path: "links/topHashInternal.html"},
	{spec: "links: fails for broken external links", web: true, path: "links/broken_link_external.html",
		external: []string{"https://www.asdo3IRJ395295jsingrkrg4.com", "https://www.google.com"}},
	{spec: "links: fails for broken internal links (proofer_spec: 2 failures)", path: "links/broken_link_internal.html",
		want: []string{"./missingImageAlt.html", "./notreal.html"}},
	{spec: "links: fails for broken internal root links", path: "links/broken_root_link_internal.html",
		want: []string{"/broken_root_link_internalz.html"}},
	{spec: "links: succeeds for working internal root links", path: "links/working_root_link_internal.html"},
	{spec: "links: succeeds for working internal-root-links pointing to other folder", path: "links/link_to_another_folder.html", root: ".",
		note: "root_dir: fixtures"},
	{spec: "links: allows link with no href", path: "links/missing_link_href.html",
		differs: true, ours: []string{""}, note: "allow_missing_href not emulated: an empty href is always reported (an <a> with no href is not)"},
	{spec: "links: follows redirects", web: true, path: "links/link_with_redirect.html",
		external: []string{"http://docs.github.com/en/get-started/", "http://gjtorikian.github.io/mathematical/", "https://github.com/github/repository-sync"}},
	{spec: "links: understands https", web: true, path: "links/link_with_https.html",
		external: []string{"https://github.com/octocat/Spoon-Knife/issues"}},
	{spec: "links: fails for broken hash links with status code numbers", path: "links/broken_link_with_number.html",
		want: []string{"#25-method-not-allowed"}},
	{spec: "links: understands relative hash", path: "links/relative_hash.html"},
	{spec: "links: properly resolves implicit /index.html in link paths", path: "links/link_to_folder.html"},
	{spec: "links: properly checks links to root", path: "links/root_link/root_link.html"},
	{spec: "links: properly checks relative links", path: "links/relative_links.html"},
	{spec: "links: properly checks ssl links", web: true, path: "links/checkSSLLinks.html",
		external: []string{"https://developers.google.com/university"}},
	{spec: "links: ignores links marked as ignore data-proofer-ignore", path: "links/ignorable_links.html"},
	{spec: "links: ignores links via ignore_urls", path: "links/ignorable_links_via_options.html",
		differs: true, ours: []string{"#anadaasdadsadschor", "../whaadadt.html"}, external: []string{"http://www.asdo3IRJ395295jsingrkrg4.com"},
		note: "ignore_urls not emulated: callers filter findings"},
	{spec: "links: translates links via swap_urls", path: "links/link_translated_via_href_swap.html",
		differs: true, ours: []string{"/articles/link_to_folder"}, note: "swap_urls not emulated beyond SiteURL"},
	{spec: "links: finds a mix of broken and unbroken links", path: "links/multiple_problems.html",
		want: []string{"#anadaasdadsadschor"}},
	{spec: "links: finds the same broken link multiple times", web: true, path: "links/multiple_links.html",
		external: []string{"https://another.png", "https://missing.png", "https://missing.png"}},
	{spec: "links: ignores valid mailto links", path: "links/mailto_link.html"},
	{spec: "links: accepts multiple mailto links", path: "links/multiple_mailto_links.html"},
	{spec: "links: ignores blank mailto links when configured to allow them", path: "links/blank_mailto_link.html",
		differs: true, ours: []string{"mailto:"}, note: "ignore_empty_mailto not emulated: an empty mailto: is always reported"},
	{spec: "links: fails for blank mailto links", path: "links/blank_mailto_link.html",
		want: []string{"mailto:"}},
	{spec: "links: fails for invalid mailto links", path: "links/invalid_mailto_link.html",
		want: []string{"mailto:octocat"}},
	{spec: "links: ignores valid tel links", path: "links/tel_link.html"},
	{spec: "links: fails for blank tel links", path: "links/blank_tel_link.html",
		want: []string{"tel:"}},
	{spec: "links: ignores javascript links", path: "links/javascript_link.html"},
	{spec: "links: fails for links missing the protocol", path: "links/link_missing_protocol_valid.html",
		want:    []string{"//github.com/octocat/Spoon-Knife/issues"},
		differs: true, external: []string{"https://github.com/octocat/Spoon-Knife/issues"},
		note: "a protocol-relative URL is valid; it goes to the web checker as https"},
	{spec: "links: works for valid href within link elements", path: "links/head_link_href.html"},
	{spec: "links: allows empty href on link elements", path: "links/head_link_href_empty.html",
		differs: true, ours: []string{""}, note: "allow_missing_href not emulated: an empty href is always reported"},
	{spec: "links: allows missing href on link elements", path: "links/head_link_href_absent.html"},
	{spec: "links: allows for internal linking to a directory without trailing slash by default", path: "links/link_directory_without_slash.html"},
	{spec: "links: fails for internal linking to a directory without trailing slash", path: "links/link_directory_without_slash.html",
		want:    []string{"folder"},
		differs: true, note: "followlocation: false not emulated"},
	{spec: "links: ignores external links when asked", path: "links/broken_link_external.html",
		external: []string{"https://www.asdo3IRJ395295jsingrkrg4.com", "https://www.google.com"}},
	{spec: "links: validates links with external characters", path: "links/external_colon_link.html",
		differs: true, ours: []string{"\u200bhttps://overcast.fm/+CGRt2FEbw/1:17:15"},
		note: "the href starts with U+200B, so browsers read it as a relative path, which is missing; html-proofer deletes U+200B"},
	{spec: "links: works for broken anchors within pre", path: "links/anchors_in_pre.html",
		external: []string{"http://www.asdo3IRJ395295jsingrkrg4.com", "http://www.asdo3IRJ395295jsingrkrg4.com"},
		note:     "html-proofer drops code, pre and tt; we keep their links, which browsers make clickable"},
	{spec: "links: works for broken link within pre", path: "links/links_in_pre.html",
		differs: true, ours: []string{"", ""}, note: "links inside pre and code are checked, and these hrefs are empty"},
	{spec: "links: works for pipes in the URL", web: true, path: "links/escape_pipes.html",
		external: []string{"https://fonts.googleapis.com/css?family=Open+Sans:300,300italic,400,400italic,600,600italic|Noto+Serif:400,400italic,700,700italic|Droid+Sans+Mono:400"}},
	{spec: "links: fails for broken hash with query", path: "links/broken_hash_with_query.html",
		want: []string{"?txthl=avian%20influenza+world+cook+flu-like%20symptoms+Don't%20Forget...+causes%20sickness%20in%20birds,%20it%20can%20also%20infect%20people.#example"}},
	{spec: "links: passes when linking to hash on another page", path: "links/hash_on_another_page.html"},
	{spec: "links: fails for mismatched hash casing", path: "links/hash_mismatched_case.html",
		want: []string{"#MainMenu"}},
	{spec: "links: works for directory index file", path: "links/link_pointing_to_directory.html",
		differs: true, ours: []string{"folder-php/"}, note: "directory_index_file not emulated: only index.html"},
	{spec: "links: works for a list of directory index files", path: "links/link_pointing_to_directories.html",
		differs: true, ours: []string{"folder-php/"}, note: "directory_index_files not emulated: only index.html"},
	{spec: "links: fails if directory index file doesn't exist", path: "links/link_pointing_to_directory.html",
		want: []string{"folder-php/"}, note: "directory_index_file: README.md; folder-php has no index.html either"},
	{spec: "links: ensures Typhoeus options are passed", web: true, path: "links/ensure_typhoeus_options.html",
		external: []string{"https://blog.patternsinthevoid.net/"}},
	{spec: "links: works if subdirectory ends with .html", path: "links/_site", dir: true,
		external: []string{"https://www.github.com"}},
	{spec: "links: works for hash referring to itself", path: "links/hash_referring_to_self.html"},
	{spec: "links: ignores placeholder with name", path: "links/placeholder_with_name.html"},
	{spec: "links: ignores placeholder with id", path: "links/placeholder_with_id.html"},
	{spec: "links: allows placeholder with empty id", path: "links/placeholder_with_empty_id.html"},
	{spec: "links: ignores non-http(s) protocols", path: "links/other_protocols.html"},
	{spec: "links: passes non-standard characters", web: true, path: "links/non_standard_characters.html",
		external: []string{"https://ben.balter.com/2014/09/29/source-disclosed-%E2%89%A0-open-source/", "https://en.wikipedia.org/wiki/Coup_d%27%C3%A9tat"}},
	{spec: "links: does not dupe errors", web: true, path: "links/nodupe.html",
		external: []string{"https://help.github.com/articlezzz"}},
	{spec: "links: allows unicode domains", web: true, path: "links/unicode_domain.html",
		external: []string{"https://granö.fi"}},
	{spec: "links: allows punnycode domains", web: true, path: "links/punnycode.html",
		external: []string{"https://www.xn--mxaaaiil1bdgepgr1bpt0d.gr/"}},
	{spec: "links: passes for broken *nix links", web: true, path: "links/broken_unix_links.html",
		external: []string{"https://en.wikipedia.org/wiki/Phase-locked_loop#Clock_generation", "https://jekyllrb.com/docs/configuration", "https://rtyley.github.io/bfg-repo-cleaner/#usage"}},
	{spec: "links: passes for external UTF-8 links", web: true, path: "links/utf8_link.html",
		external: []string{"https://ben.balter.com/2014/09/29/source-disclosed-%E2%89%A0-open-source/", "https://ben.balter.com/2014/09/29/source-disclosed-≠-open-source/"}},
	{spec: "links: passes for urlencoded href", path: "links/urlencoded-href.html"},
	{spec: "links: reports failures for the original link, not the redirection", web: true, path: "links/redirected_error.html",
		external: []string{"http://stackoverflow.com/asdadsads"}},
	{spec: "links: does not complain for files with attributes containing dashes", web: true, path: "links/attribute_with_dash.html",
		external: []string{"https://www.github.com"}},
	{spec: "links: passes for links hash-referencing itself", path: "links/self_ref.html"},
	{spec: "links: default extensions can be turned off", path: "links/no_html_extension.html", noAssumeHTML: true,
		want: []string{"/anchors_in_pre", "anchors_in_pre", "anchors_in_pre#anchor", "same_name_as_dir"}},
	{spec: "links: accepts extensionless file links by default", path: "links/no_html_extension.html"},
	{spec: "links: does check links with parameters multiple times", web: true, path: "links/check_just_once.html",
		external: []string{
			"https://github.com/contact#false?form%5Bsubject%5D=Organization+and+Team+Membership+APIs",
			"https://github.com/contact?form%5Bsubject%5D=Blah+and+blah+blah+APIs",
			"https://github.com/contact?form%5Bsubject%5D=New+Assigned+Events",
			"https://github.com/contact?form%5Bsubject%5D=Organization+and+Team+Membership+APIs",
		}},
	{spec: "links: does not explode on bad external links in files", path: "links/bad_external_links.html",
		want:     []string{"https://127.0.0.1:____"},
		external: []string{"https://www.asdo3IRJ395295jsingrkrg4.com", "https://www.google.com"}},
	{spec: "links: passes for non-HTTPS links when asked", web: true, path: "links/non_https.html",
		external: []string{"http://ben.balter.com"}},
	{spec: "links: fails for non-HTTPS links by default", path: "links/non_https.html",
		want:    []string{"http://ben.balter.com"},
		differs: true, external: []string{"http://ben.balter.com"}, note: "enforce_https is a policy, not a broken link"},
	{spec: "links: passes for hash href", path: "links/hash_href.html"},
	{spec: "links: fails for hash href when asked", path: "links/hash_href.html",
		want:    []string{"#"},
		differs: true, note: "allow_hash_href: false not emulated: href=\"#\" is the top of the page"},
	{spec: "links: fails for broken IP address links", web: true, path: "links/ip_href.html",
		external: []string{"https://1.2.3.4/", "https://5.6.7.8/"}},
	{spec: "links: works for internal links to weird encoding IDs", path: "links/encodingLink.html"},
	{spec: "links: does expect href for anchors in HTML5", path: "links/blank_href_html5.html",
		want:    []string{""},
		differs: true, note: "an <a> without href is a placeholder, valid HTML"},
	{spec: "links: does expect href for anchors in non-HTML5 (html4)", path: "links/blank_href_html4.html",
		want:    []string{""},
		differs: true, note: "an <a> without href is a placeholder, valid HTML"},
	{spec: "links: does expect href for anchors in non-HTML5 (unknown)", path: "links/blank_href_htmlunknown.html",
		want:    []string{""},
		differs: true, note: "an <a> without href is a placeholder, valid HTML"},
	{spec: "links: can skip expecting href for anchors in non-HTML5", path: "links/blank_href_htmlunknown.html"},
	{spec: "links: passes for relative links with a base", path: "links/relative_links_with_base.html"},
	{spec: "links: does not bomb on dns-prefetch", path: "links/dns-prefetch.html"},
	{spec: "links: ignores links when the parent element is ignored", path: "links/ignored_by_parent.html"},
	{spec: "links: does not cgi encode link", web: true, path: "links/do_not_cgi_encode.html",
		external: []string{"https://www.google.com/search?q=foo%2Bbar"}},
	{spec: "links: works with quotes in the hash href", path: "links/quote.html"},
	{spec: "links: works with base without href", path: "links/base_no_href.html"},
	{spec: "links: does not check sri for pagination", web: true, path: "links/integrity_and_cors_pagination_rels.html",
		external: []string{"https://github.com", "https://github.com", "https://github.com"}},
	{spec: "links: does not check local scripts", path: "links/local_stylesheet.html", root: "."},
	{spec: "links: correctly handles empty href", web: true, path: "links/empty_href.html",
		external: []string{"https://travel.state.gov/content/dam/passports/FIG_cropper.swf#"}},
	{spec: "links: is not checking SRI and CORS for links with rel canonical or alternate", web: true, path: "links/link_with_rel.html",
		external: []string{"https://github.com", "https://github.com"}},
	{spec: "links: is not checking SRI and CORS for indieweb links", web: true, path: "links/link_with_me.html",
		external: []string{"https://github.com/gjtorikian/html-proofer", "https://webmention.io/username/webmention", "https://webmention.io/username/xmlrpc"}},
	{spec: "links: can link to external non-unicode hash", web: true, path: "links/hash_to_unicode_ref.html",
		external: []string{"https://docs.q-ctrl.com/boulder-opal/application-notes/designing-robust-molmer-sorensen-gates-with-parametric-trap-drive-amplification#Designing-robust-M%C3%B8lmer%E2%80%93S%C3%B8rensen-gates-with-parametric-trap-drive-amplification"}},
	{spec: "links: allows for at-sign attribute", path: "links/at_sign.html",
		want:    []string{"#"},
		differs: true, note: "allow_hash_href: false not emulated"},
	{spec: "links: allows for at-sign attribute to be ignored", path: "links/at_sign_ignorable.html"},
	{spec: "links: checks source tags", web: true, path: "links/source.html",
		external: []string{"https://www.asdo3IRJ395295jsingrkrg4.com"}},
	{spec: "links: works for a direct link through directory", path: "links/internals", dir: true},
	{spec: "links: reports linked internal through directory", path: "links/hashes", dir: true,
		want: []string{"/doc/hcl/#generating-and-submitting"}},
	{spec: "links: works for hash hrefs", path: "links/hash/inner.html"},
	{spec: "links: fails if hash hrefs are excluded", path: "links/hash/inner.html",
		want:    []string{"#"},
		differs: true, note: "allow_hash_href: false not emulated"},
	{spec: "links: does not crash on badly formatted urls", path: "links/bad_formatting.html",
		want:    []string{`https:\\www.youtube.com\watch?v=QafV7WHdLHE`},
		differs: true, external: []string{"https://www.youtube.com/watch?v=QafV7WHdLHE"},
		note: "browsers read backslashes in an http(s) URL as slashes, so the URL is valid"},
	{spec: "links: does not try reading PDFs", path: "links/pdfs.html",
		want:    []string{"exists.pdf#page=2", "large.pdf#page=2", "missing.pdf#page=2"},
		differs: true, ours: []string{"missing.pdf#page=2"}, note: "fragments into files that are not HTML (PDF open parameters) are not checked"},
	{spec: "links: tries reading PDFs with hashes", web: true, path: "links/pdf_w_hash.html",
		external: []string{"https://upload.wikimedia.org/wikipedia/commons/0/07/Open_Content_-_A_Practical_Guide_to_Using_Creative_Commons_Licences.pdf#page=2"}},
	{spec: "links: tries reading PDFs with hashes (broken)", web: true, path: "links/pdf_w_hash_broken.html",
		external: []string{"https://upload.wikimedia.org/wikipedia/commons/0/07/Open_Content_-_A_Practical_Guide_to_Using_Creative_Commons_Licences.pdf#page=2111115"}},
	{spec: "links: navigates to sibling through parent", path: "links/root_folder/admin/link_to_relative_parent.html", root: "links/root_folder"},

	// images_spec.rb
	{spec: "images: passes for existing external images", web: true, path: "images/existing_image_external.html",
		external: []string{"https://upload.wikimedia.org/wikipedia/en/thumb/2/22/Heckert_GNU_white.svg/256px-Heckert_GNU_white.svg.png"}},
	{spec: "images: does not fail for image missing alt attribute when asked to ignore", path: "images/missing_image_alt.html"},
	{spec: "images: does not fail for image with an empty alt attribute", path: "images/missing_image_alt_text.html"},
	{spec: "images: does not fail for image with nothing but spaces in alt attribute", path: "images/empty_image_alt_text.html"},
	{spec: "images: passes for images with spaces all over", web: true, path: "images/spaced_image.html",
		external: []string{"https://octodex.github.com/images/mona-lovelace.jpg"}},
	{spec: "images: fails for missing external images", web: true, path: "images/missing_image_external.html",
		external: []string{"https://www.whatthehell"}},
	{spec: "images: fails for missing internal images", path: "images/missing_image_internal.html",
		want: []string{"./doesnotexist.png"}},
	{spec: "images: fails for image with no src", path: "images/missing_image_src.html",
		want: []string{""}},
	{spec: "images: fails for image with default macOS filename", path: "images/terrible_image_name.html",
		want: []string{"./Screen Shot 2012-08-09 at 7.51.18 AM.png"},
		note: "the file is missing under images/ upstream too; the terrible-filename lint is not a link check"},
	{spec: "images: ignores images marked as ignore data-proofer-ignore", path: "images/ignorableImages.html"},
	{spec: "images: properly checks relative images", path: "images/root_relative_images.html"},
	{spec: "images: properly checks relative images (nested)", path: "resources/books/nestedRelativeImages.html"},
	{spec: "images: properly ignores data URI images", path: "images/working_data_uri_image.html"},
	{spec: "images: fails for images missing the protocol", path: "images/image_missing_protocol_valid.html",
		want:    []string{"//upload.wikimedia.org/wikipedia/en/thumb/2/22/Heckert_GNU_white.svg/256px-Heckert_GNU_white.svg.png"},
		differs: true, external: []string{"https://upload.wikimedia.org/wikipedia/en/thumb/2/22/Heckert_GNU_white.svg/256px-Heckert_GNU_white.svg.png"},
		note: "a protocol-relative URL is valid; it goes to the web checker as https"},
	{spec: "images: properly checks relative links", path: "images/relative_to_self.html"},
	{spec: "images: properly ignores urls when asked", path: "images/ignorable_alt_via_options.html",
		external: []string{"https://upload.wikimedia.org/wikipedia/en/thumb/2/22/Heckert_GNU_white.svg/256px-Heckert_GNU_white.svg.png"},
		note:     "needs no ignore_urls here: gpl.png exists and the protocol-relative image goes to the web checker"},
	{spec: "images: properly ignores missing urls when asked", path: "images/ignore_alt_but_not_link.html",
		external: []string{"https://www.kakakakakaakkakakakakakakaakakak.biz.foo.net"}},
	{spec: "images: passes for images with a srcset pointing to existing files", path: "images/src_set_check_pass.html"},
	{spec: "images: fails for images with a srcset pointing to missing files", path: "images/src_set_check.html",
		want: []string{"examples/images/extralarge.jpg", "examples/images/large.jpg"}},
	{spec: "images: skips missing alt tag for images marked as aria-hidden", path: "images/aria_hidden.html"},
	{spec: "images: fails for images with an alt but missing src or srcset", path: "images/src_set_missing_image.html",
		want:    []string{""},
		differs: true, note: "an <img> with no src or srcset at all has no link to check (an empty one is reported)"},
	{spec: "images: properly ignores missing alt tags when asked for srcset", path: "images/src_set_ignorable.html",
		external: []string{"https://upload.wikimedia.org/wikipedia/en/thumb/2/22/Heckert_GNU_white.svg/256px-Heckert_GNU_white.svg.png"},
		note:     "needs no ignore_urls here, as above"},
	{spec: "images: translates src via swap_urls", path: "images/replace_abs_url_src.html", siteURL: "http://baseurl.com",
		note: "swap_urls ^http://baseurl.com => \"\" emulated with SiteURL"},
	{spec: "images: passes for HTTP images when asked", web: true, path: "images/src_http.html",
		external: []string{"http://upload.wikimedia.org/wikipedia/en/thumb/2/22/Heckert_GNU_white.svg/256px-Heckert_GNU_white.svg.png"}},
	{spec: "images: fails for HTTP images when not asked", path: "images/src_http.html",
		want:    []string{"http://upload.wikimedia.org/wikipedia/en/thumb/2/22/Heckert_GNU_white.svg/256px-Heckert_GNU_white.svg.png"},
		differs: true, external: []string{"http://upload.wikimedia.org/wikipedia/en/thumb/2/22/Heckert_GNU_white.svg/256px-Heckert_GNU_white.svg.png"},
		note: "enforce_https is a policy, not a broken link"},
	{spec: "images: properly checks relative images with base", path: "images/relative_with_base.html"},
	{spec: "images: ignores semicolon outside attribute name", path: "images/semicolon.html"},
	{spec: "images: supports multiple srcsets when passes", path: "images/multiple_srcset_success.html"},
	{spec: "images: supports multiple srcsets when fails", path: "images/multiple_srcset_failure.html",
		want: []string{"/uploads/150-marie-lloyd.jpg"}},
	{spec: "images: supports base64 srcsets", path: "images/base64_srcset.html"},
	{spec: "images: works for images with a swapped data attribute src", path: "images/data_src_attribute.html",
		note: "data-src is not read, so there is nothing to check"},
	{spec: "images: breaks for images with a swapped attribute that does not exist", path: "images/data_src_attribute.html",
		want:    []string{""},
		differs: true, note: "an <img> with no src at all has no link to check"},
	{spec: "images: works for images with srcset and pixel density", path: "images/srcset-pixel-density.html"},
	{spec: "images: breaks for images with invalid srcset and pixel density", path: "images/srcset-pixel-density_broken.html",
		want: []string{"foo.webp"}},
	{spec: "images: works for images with multiple srcsets and pixel densities", path: "images/multiple_srcset-pixel-density.html"},
	{spec: "images: works for picture elements with multiple srcsets and pixel densities", path: "images/srcset_picture_pixel-density.html"},
	{spec: "images: works for picture elements with multiple remote sizes", web: true, path: "images/srcset_picture_remote_sizes.html",
		external: []string{"https://upload.wikimedia.org/wikipedia/en/2/22/Heckert_GNU_white.svg", "https://upload.wikimedia.org/wikipedia/en/thumb/2/22/Heckert_GNU_white.svg/256px-Heckert_GNU_white.svg.png"}},
	{spec: "images: breaks for picture elements with multiple srcsets and pixel densities", path: "images/srcset_picture_pixel-density_broken.html",
		want: []string{"foo.webp", "foo2.webp"}},
	{spec: "images: works for various webp images", path: "images/webp_valid.html"},

	// scripts_spec.rb
	{spec: "scripts: fails for src missing the protocol", path: "scripts/script_missing_protocol.html",
		want:    []string{"//www.asdo3IRJ395295jsingrkrg4.com/asdo3IRJ.js"},
		differs: true, external: []string{"https://www.asdo3IRJ395295jsingrkrg4.com/asdo3IRJ.js"},
		note: "a protocol-relative URL is valid; it goes to the web checker as https"},
	{spec: "scripts: fails for broken external src", web: true, path: "scripts/script_broken_external.html",
		external: []string{"http://www.asdo3IRJ395295jsingrkrg4.com/asdo3IRJ.js"}},
	{spec: "scripts: works for valid internal src", path: "scripts/script_valid_internal.html"},
	{spec: "scripts: fails for missing internal src", path: "scripts/script_missing_internal.html",
		want: []string{"doesnotexist.js"}},
	{spec: "scripts: works for present content", path: "scripts/script_content.html"},
	{spec: "scripts: works for broken script within pre", path: "scripts/script_in_pre.html",
		external: []string{
			"https://embed.github.com/view/geojson/<username>/<repo>/<ref>/<path_to_file>",
			"https://embed.github.com/view/geojson/<username>/<repo>/<ref>/<path_to_file>",
		},
		note: "links inside pre and code are kept; these go to the web checker"},
	{spec: "scripts: ignores links via ignore_urls", path: "scripts/ignorable_links_via_options.html",
		differs: true, ours: []string{"/assets/main.js"}, note: "ignore_urls not emulated"},
	{spec: "scripts: translates src via swap_urls", path: "scripts/script_abs_url.html", siteURL: "http://example.com",
		note: "swap_urls ^http://example.com => \"\" emulated with SiteURL"},
	{spec: "scripts: does not check SRI/CORS for local scripts", path: "scripts/local_script.html"},

	// favicon_spec.rb
	{spec: "favicon: ignores for absent favicon by default", path: "favicon/favicon_absent.html"},
	{spec: "favicon: fails for favicon missing the protocol", path: "favicon/protocol_relative_favicon.html",
		want:    []string{"//www.github.com/asdadaskdalsdk.png"},
		differs: true, external: []string{"https://www.github.com/asdadaskdalsdk.png"},
		note: "a protocol-relative URL is valid; it goes to the web checker as https"},
	{spec: "favicon: fails for broken internal favicon", path: "favicon/internal_favicon_broken.html",
		want: []string{"asdadaskdalsdk.png"}},
	{spec: "favicon: fails for broken external favicon", web: true, path: "favicon/external_favicon_broken.html",
		external: []string{"https://www.github.com/asdadaskdalsdk.png"}},
	{spec: "favicon: passes for present favicon", path: "favicon/favicon_present.html", root: "."},
	{spec: "favicon: passes for present favicon with shortcut notation", path: "favicon/favicon_present_shortcut.html", root: "."},
	{spec: "favicon: fails for broken favicon with data-proofer-ignore", path: "favicon/favicon_broken_but_ignored.html",
		note: "its failure is \"no favicon provided\", not a broken link"},
	{spec: "favicon: specifically ignores jekyll redirect_from template", path: "favicon/jekyll_redirect_from.html",
		differs: true, ours: []string{"{{ page.redirect.to }}"},
		note: "we check the URL of a meta refresh; this one is an unrendered Liquid tag"},
	{spec: "favicon: ignores SRI/CORS requirements for favicons", web: true, path: "favicon/cors_not_needed.html",
		external: []string{"https://monitortech.org/favicon.ico", "https://monitortech.org/favicon.ico", "https://monitortech.org/favicon.ico"}},

	// element_spec.rb, cli_spec.rb and cache_spec.rb
	{spec: "element: does not explode if given a bad attribute", path: "html/invalid_attribute.html"},
	{spec: "cli: works with no-allow-missing-href", path: "links/missing_link_href.html",
		want: []string{""}},
	{spec: "cli: works with swap-urls and colon", path: "links/link_translated_via_href_swap2.html", siteURL: "http://www.example.com",
		note: "swap_urls http://www.example.com => \"\" emulated with SiteURL"},
	{spec: "cli: navigates above itself in a subdirectory", path: "links/root_folder/admin", dir: true, root: "links/root_folder",
		note: "root_dir: links/root_folder"},
	{spec: "cache: does write file if a new relative URL 200 is added", path: "links/root_link/root_link_with_another_link.html"},
	{spec: "cache: does write file if a new relative URL 404 is added", path: "links/broken_internal_link.html",
		want: []string{"#noHash"}},
}

func TestProoferVerdicts(t *testing.T) {
	if _, err := os.Stat(proofer); err != nil {
		golden.MissingCorpus(t, "html-proofer fixtures not found at %s: %v", proofer, err)
	}
	site := copyFixtures(t)
	agree, web, differ := 0, 0, 0
	for _, v := range verdicts {
		t.Run(v.spec, func(t *testing.T) {
			root := v.root
			switch {
			case root == "" && v.dir:
				root = v.path
			case root == "":
				root = filepath.Dir(v.path)
			}
			opts := Options{AssumeHTML: !v.noAssumeHTML, SiteURL: v.siteURL}
			res, err := CheckDir(filepath.Join(site, root), opts)
			if err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(site, v.path)
			mine := func(file string) bool {
				return file == target || v.dir && strings.HasPrefix(file, target+string(filepath.Separator))
			}
			var broken, external []string
			for _, f := range res.Findings {
				if mine(f.File) {
					broken = append(broken, f.URL)
				}
			}
			for _, x := range res.External {
				if mine(x.File) {
					external = append(external, x.Target)
				}
			}
			slices.Sort(broken)
			slices.Sort(external)
			want := v.want
			if v.differs {
				differ++
				want = v.ours
				if slices.Equal(v.ours, v.want) {
					t.Errorf("marked as differing (%s), but ours and html-proofer's are both %q", v.note, v.want)
				}
			} else if v.web {
				web++
			} else {
				agree++
			}
			if !slices.Equal(broken, want) {
				t.Errorf("broken = %q, want %q (html-proofer: %q; %s)", broken, want, v.want, v.note)
				for _, f := range res.Findings {
					t.Log(f)
				}
			}
			if !slices.Equal(external, v.external) {
				t.Errorf("external = %q, want %q", external, v.external)
			}
		})
	}
	t.Logf("%d html-proofer examples: %d agree, %d need the web (links handed on), %d differ on purpose",
		len(verdicts), agree, web, differ)
}

// copyFixtures copies the fixtures into a temporary folder and adds the
// upstream files the corpus lacks.
func copyFixtures(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(proofer, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(proofer, name)
		if err != nil {
			return err
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(dst, rel), src)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range prooferFiles {
		if err := writeFile(filepath.Join(dst, filepath.FromSlash(f)), nil); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}
