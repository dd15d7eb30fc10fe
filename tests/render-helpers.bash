# Shared by tests/render*.bats.

# frames_of SVG: one line per frame, "tooltip|x|y|width|fill", numbers to 0.01 px, entities decoded,
# sorted; works on flamegraph.pl's output and on ours (a frame's <title> and <rect> share a line).
frames_of() {
	awk '
	function attr(s, name) {
		if (match(s, " " name "=\"[^\"]*\""))
			return substr(s, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
		return ""
	}
	function unescape(s) {
		gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
		gsub(/&#39;/, "\047", s); gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
		return s
	}
	/<title>.*<\/title><rect / {
		t = $0; sub(/.*<title>/, "", t); sub(/<\/title>.*/, "", t)
		r = $0; sub(/.*<\/title><rect/, "", r)
		printf "%s|%.2f|%.2f|%.2f|%s\n", unescape(t), attr(r, "x"), attr(r, "y"), attr(r, "width"), attr(r, "fill")
	}' "$1" | LC_ALL=C sort
}

# The value of attribute $2 on the root <svg> of file $1.
svg_attr() {
	sed -n "s/^<svg[^>]* $2=\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n1
}

# Well-formed XML? Uses xmllint (libxml2-utils, which `make test` installs), or else python3. With
# neither, it fails: a check that cannot be made must not pass.
xml_wellformed() {
	if command -v xmllint >/dev/null; then
		xmllint --huge --noout "$1"
	elif command -v python3 >/dev/null; then
		python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$1"
	else
		flunk "xml_wellformed: no XML parser (xmllint or python3) to check $1: apt-get install libxml2-utils"
	fi
}

# The browser tier: headless Debian chromium, skipped (visibly) when it is not installed.
require_chromium() {
	CHROMIUM=${FLAME_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
	[ -n "$CHROMIUM" ] || skip "chromium not installed: browser tier skipped (apt-get install chromium)"
}

# in_browser SVG QUERY BODY: load SVG?QUERY in an iframe of a wrapper page and, once it has loaded,
# run the JavaScript BODY with d (the SVG document), w (its window), log(key, value) and fire(el, type,
# init). Prints the logged "key=value" lines (the wrapper's DOM as chromium dumps it).
in_browser() {
	local svg=$1 query=$2 body=$3 page
	page=$BATS_TEST_TMPDIR/page-$RANDOM.html
	cat > "$page" <<HTML
<!DOCTYPE html><html><body><pre id="out">NOT RUN</pre>
<iframe id="frame" width="1200" height="900" src="file://$svg${query:+?$query}"></iframe>
<script>
var lines = [];
function log(k, v) { lines.push(k + "=" + v); }
function fire(el, type, init) {
	var o = init || {};
	o.bubbles = true;
	o.cancelable = true;
	var ev = /^key/.test(type) ? new KeyboardEvent(type, o) : new MouseEvent(type, o);
	return el.dispatchEvent(ev);
}
document.getElementById("frame").addEventListener("load", function () {
	var w = this.contentWindow, d = this.contentDocument;
	try {
$body
	} catch (e) {
		log("exception", e);
	}
	document.getElementById("out").textContent = lines.join("\n") + "\nEND";
});
</script></body></html>
HTML
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--allow-file-access-from-files --user-data-dir="$BATS_TEST_TMPDIR/chromium-profile" \
		--virtual-time-budget=5000 --dump-dom "file://$page" 2>/dev/null |
		sed -n '/<pre id="out">/,/^END/p' | sed -e 's/^<pre id="out">//' -e 's/&lt;/</g' -e 's/&gt;/>/g' \
		-e 's/&quot;/"/g' -e 's/&amp;/\&/g'
}

# inferno_frames SVG: "tooltip|y|fill" per frame of an inferno SVG (any layout), sorted.
inferno_frames() {
	awk '
	function attr(s, name) {
		if (match(s, " " name "=\"[^\"]*\""))
			return substr(s, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
		return ""
	}
	{ buf = buf $0 "\n" }
	END {
		n = split(buf, parts, /<title>/)
		for (i = 2; i <= n; i++) {
			t = parts[i]; sub(/<\/title>.*/, "", t); gsub(/\n/, "", t)
			r = parts[i]; sub(/.*<\/title>[ \n]*<rect/, "", r); sub(/\/>.*/, "", r)
			gsub(/&lt;/, "<", t); gsub(/&gt;/, ">", t); gsub(/&quot;/, "\"", t); gsub(/&#39;|&apos;/, "\047", t); gsub(/&amp;/, "\\&", t)
			printf "%s|%.2f|%s\n", t, attr(r, "y"), attr(r, "fill")
		}
	}' "$1" | LC_ALL=C sort
}

# ours_as_inferno SVG: the same lines from one of our SVGs.
ours_as_inferno() {
	frames_of "$1" | awk -F'|' -v OFS='|' '{ print $1, $3, $5 }' | LC_ALL=C sort
}

# dump_page HTML: chromium's DOM of a page after its scripts ran; prints the <pre id="out"> text.
dump_page() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--allow-file-access-from-files --user-data-dir="$BATS_TEST_TMPDIR/chromium-profile" \
		--virtual-time-budget=5000 --dump-dom "file://$1" 2>/dev/null |
		sed -n '/<pre id="out">/,/^END/p' | sed -e 's/^<pre id="out">//' -e 's/&lt;/</g' -e 's/&gt;/>/g' \
		-e 's/&quot;/"/g' -e 's/&amp;/\&/g'
}
