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

# Well-formed XML? Uses xmllint or python3 when one is there; otherwise says it could not check.
xml_wellformed() {
	if command -v xmllint >/dev/null; then
		xmllint --noout "$1"
	elif command -v python3 >/dev/null; then
		python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$1"
	else
		echo "no XML parser (xmllint or python3): well-formedness not checked" >&2
	fi
}
