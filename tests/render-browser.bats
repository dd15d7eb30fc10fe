#!/usr/bin/env bats
# The SVG's JavaScript in a real browser (headless chromium): hover details, click zoom, reset zoom,
# search (button, Ctrl-F, case-insensitive toggle), the view kept in the URL, and hostile frame names
# that must stay text. Skipped with a note when chromium is not installed.

load helpers
load render-helpers

setup() {
	require_chromium
	cat > "$BATS_TEST_TMPDIR/in.folded" <<'IN'
main;parse;lex 30
main;parse;read_file 10
main;compute;Ext4_write 20
main;compute;ext4_read 15
main;compute;crunch 25
idle 20
IN
	flame-render "$BATS_TEST_TMPDIR/in.folded" > "$BATS_TEST_TMPDIR/g.svg"
}

# The <g> of the frame whose tooltip starts with NAME.
FIND='function frame(name) { var g = d.querySelectorAll(".frames > g"); for (var i = 0; i < g.length; i++) if (g[i].querySelector("title").textContent.indexOf(name + " (") === 0) return g[i]; return null; }
function hidden() { return d.querySelectorAll(".frames > .hide").length; }
function parents() { return d.querySelectorAll(".frames > .parent").length; }'

@test "browser: hovering a frame shows its details, leaving clears them" {
	run in_browser "$BATS_TEST_TMPDIR/g.svg" "" "$FIND
		fire(frame('parse').querySelector('rect'), 'mouseover');
		log('details', d.querySelector('.details').textContent);
		fire(frame('parse').querySelector('rect'), 'mouseout');
		log('after', '[' + d.querySelector('.details').textContent + ']');"
	echo "$output"
	[[ "$output" == *"details=Function: parse (40 samples, 33.33%)"* ]]
	[[ "$output" == *"after=[ ]"* ]]
}

@test "browser: clicking a frame zooms into it; Reset Zoom undoes it" {
	run in_browser "$BATS_TEST_TMPDIR/g.svg" "" "$FIND
		var before = frame('lex').querySelector('rect').getAttribute('width');
		fire(frame('parse').querySelector('rect'), 'click');
		log('parse.width', frame('parse').querySelector('rect').getAttribute('width'));
		log('parse.x', frame('parse').querySelector('rect').getAttribute('x'));
		log('lex.width.near.885', Math.abs(parseFloat(frame('lex').querySelector('rect').getAttribute('width')) - 885) < 0.5);
		log('main.class', frame('main').getAttribute('class'));
		log('main.width', frame('main').querySelector('rect').getAttribute('width'));
		log('compute.class', frame('compute').getAttribute('class'));
		log('idle.class', frame('idle').getAttribute('class'));
		log('unzoom.class', d.querySelector('.unzoom').getAttribute('class'));
		log('url', w.location.search);
		fire(d.querySelector('.unzoom'), 'click');
		log('reset.hidden', hidden());
		log('reset.parents', parents());
		log('reset.lex', frame('lex').querySelector('rect').getAttribute('width') === before);
		log('reset.unzoom', d.querySelector('.unzoom').getAttribute('class'));
		log('reset.url', '[' + w.location.search + ']');"
	echo "$output"
	[[ "$output" == *"parse.width=1180.0"* ]]
	[[ "$output" == *"parse.x=10.0"* ]]
	[[ "$output" == *"lex.width.near.885=true"* ]]	# 30 of the 40 samples of parse (0.1 px rounding)
	[[ "$output" == *"main.class=parent"* ]]
	[[ "$output" == *"main.width=1180.0"* ]]
	[[ "$output" == *"compute.class=hide"* ]]
	[[ "$output" == *"idle.class=hide"* ]]
	[[ "$output" == *"unzoom.class=unzoom"$'\n'* ]]
	[[ "$output" == *"url=?x="*"&y="* ]]
	[[ "$output" == *"reset.hidden=0"* ]]
	[[ "$output" == *"reset.parents=0"* ]]
	[[ "$output" == *"reset.lex=true"* ]]
	[[ "$output" == *"reset.unzoom=unzoom hide"* ]]
	[[ "$output" == *"reset.url=[]"* ]]
}

@test "browser: search by regex from the button highlights matches and shows the matched share" {
	run in_browser "$BATS_TEST_TMPDIR/g.svg" "" "$FIND
		w.prompt = function () { return '^ext4_'; };
		fire(d.querySelector('.search'), 'click');
		log('matched', d.querySelector('.matched').textContent);
		log('button', d.querySelector('.search').textContent);
		log('read.fill', frame('ext4_read').querySelector('rect').getAttribute('fill'));
		log('write.fill', frame('Ext4_write').querySelector('rect').getAttribute('fill'));
		log('url', w.location.search);
		fire(d.querySelector('.search'), 'click');
		log('reset.button', d.querySelector('.search').textContent);
		log('reset.fill', frame('ext4_read').querySelector('rect').getAttribute('fill'));
		log('reset.url', '[' + w.location.search + ']');"
	echo "$output"
	[[ "$output" == *"matched=Matched: 12.5% for /^ext4_/"* ]]	# 15 of 120
	[[ "$output" == *"button=Reset Search"* ]]
	[[ "$output" == *"read.fill=rgb(230,0,230)"* ]]
	[[ "$output" != *"write.fill=rgb(230,0,230)"* ]]
	[[ "$output" == *"url=?s=%5Eext4_"* ]]
	[[ "$output" == *"reset.button=Search"* ]]
	[[ "$output" != *"reset.fill=rgb(230,0,230)"* ]]
	[[ "$output" == *"reset.url=[]"* ]]
}

@test "browser: Ctrl-F searches, the ic toggle (and Ctrl-I) makes it case-insensitive" {
	run in_browser "$BATS_TEST_TMPDIR/g.svg" "" "$FIND
		var asked = 0;
		w.prompt = function () { asked++; return 'ext4'; };
		fire(w, 'keydown', { key: 'f', ctrlKey: true });
		log('asked', asked);
		log('case', d.querySelector('.matched').textContent);
		fire(d.querySelector('.ignorecase'), 'click');
		log('nocase', d.querySelector('.matched').textContent);
		log('ic.class', d.querySelector('.ignorecase').getAttribute('class'));
		log('url', w.location.search);
		fire(w, 'keydown', { key: 'i', ctrlKey: true });
		log('back', d.querySelector('.matched').textContent);"
	echo "$output"
	[[ "$output" == *"asked=1"* ]]
	[[ "$output" == *"case=Matched: 12.5% for /ext4/"$'\n'* ]]
	[[ "$output" == *"nocase=Matched: 29.2% for /ext4/i"* ]]	# 35 of 120
	[[ "$output" == *"ic.class=ignorecase show"* ]]
	[[ "$output" == *"url=?s=ext4&ic=1"* ]]
	[[ "$output" == *"back=Matched: 12.5% for /ext4/"$'\n'* ]]
}

@test "browser: a link with zoom and search state reopens the same view" {
	# The zoom state names the frame by its x and y, as the URL written on a click does.
	x=$(grep -o '<title>compute (.*' "$BATS_TEST_TMPDIR/g.svg" | sed 's/.*<rect x="\([^"]*\)".*/\1/')
	y=$(grep -o '<title>compute (.*' "$BATS_TEST_TMPDIR/g.svg" | sed 's/.*<rect x="[^"]*" y="\([^"]*\)".*/\1/')
	run in_browser "$BATS_TEST_TMPDIR/g.svg" "x=$x&y=$y&s=crunch" "$FIND
		log('compute.width', frame('compute').querySelector('rect').getAttribute('width'));
		log('parse.class', frame('parse').getAttribute('class'));
		log('main.class', frame('main').getAttribute('class'));
		log('crunch.fill', frame('crunch').querySelector('rect').getAttribute('fill'));
		log('matched', d.querySelector('.matched').textContent);"
	echo "$output"
	[[ "$output" == *"compute.width=1180.0"* ]]
	[[ "$output" == *"parse.class=hide"* ]]
	[[ "$output" == *"main.class=parent"* ]]
	[[ "$output" == *"crunch.fill=rgb(230,0,230)"* ]]
	[[ "$output" == *"matched=Matched: 41.7% for /crunch/ in compute"* ]]	# 25 of compute's 60
}

@test "browser: hostile frame names, title and search terms never run script" {
	printf '%s\n' \
		'main;</text><script>parent.pwned=1</script> 5' \
		'main;<img src=x onerror="parent.pwned=2"> 4' \
		'main;"><svg onload="parent.pwned=3"> 3' \
		"main;']]><script>parent.pwned=4</script> 2" \
		'main;&amp;&lt;x 1' \
		'main;</text><script>alert(1)</script> 1' \
		"main;it's \"quoted\" & ]]> 1" > "$BATS_TEST_TMPDIR/evil.folded"
	printf 'main;bad \xff\xfe utf8 <script>parent.pwned=9</script> 1\n' >> "$BATS_TEST_TMPDIR/evil.folded"
	flame-render --title '</text><script>parent.pwned=5</script>' --nametype '";parent.pwned=6;"' \
		"$BATS_TEST_TMPDIR/evil.folded" > "$BATS_TEST_TMPDIR/evil.svg"
	run in_browser "$BATS_TEST_TMPDIR/evil.svg" "s=%3Cimg%20src%3Dx%20onerror%3Dparent.pwned%3D7%3E" "
		w.prompt = function () { return '<scr' + 'ipt>parent.pwned=8</scr' + 'ipt>'; };
		var gs = d.querySelectorAll('.frames > g');
		for (var i = 0; i < gs.length; i++) { fire(gs[i].querySelector('rect'), 'mouseover'); fire(gs[i].querySelector('rect'), 'click'); }
		fire(gs[0].querySelector('rect'), 'mouseover');
		log('details', d.querySelector('.details').textContent);
		fire(d.querySelector('.search'), 'click');
		fire(d.querySelector('.search'), 'click');
		var handlers = 0, all = d.getElementsByTagName('*');
		for (var j = 0; j < all.length; j++)
			for (var k = 0; k < all[j].attributes.length; k++)
				if (/^on/i.test(all[j].attributes[k].name)) handlers++;
		log('scripts', d.getElementsByTagName('script').length);
		log('handlers', handlers);
		log('title', d.querySelector('.title').textContent);
		log('pwned', typeof window.pwned);
		var texts = [];
		for (var t = 0; t < gs.length; t++) texts.push(gs[t].querySelector('title').textContent);
		log('quoted', texts.some(function (x) { return x.indexOf('it\\'s \"quoted\" & ]]> (') === 0; }));
		log('utf8', texts.some(function (x) { return x.indexOf('bad \\ufffd\\ufffd utf8 <scr' + 'ipt>') === 0; }));"
	echo "$output"
	[[ "$output" == *"scripts=1"* ]]
	[[ "$output" == *"handlers=0"* ]]
	[[ "$output" == *"title=</text><script>parent.pwned=5</script>"* ]]
	[[ "$output" == *'details="'*'parent.pwned=6'* ]]
	[[ "$output" == *"pwned=undefined"* ]]
	[[ "$output" == *"quoted=true"* ]]
	[[ "$output" == *"utf8=true"* ]]
	[[ "$output" == *END* ]]
}

@test "browser: two graphs inlined in one page work independently; as an <img> the SVG still shows" {
	cd "$BATS_TEST_TMPDIR"
	printf 'main;alpha 10\nmain;beta 5\n' | flame-render --title A > a.svg
	printf 'root;gamma 7\nroot;delta 3\n' | flame-render --title B > b.svg
	cp "$BATS_TEST_TMPDIR/g.svg" img.svg
	{
		echo '<!DOCTYPE html><html><body><pre id="out">NOT RUN</pre>'
		sed 1d a.svg
		sed 1d b.svg
		echo '<img id="img" src="img.svg">'
		cat <<'JS'
<script>
var lines = [];
function log(k, v) { lines.push(k + "=" + v); }
function fire(el, type, init) {
	var o = init || {}; o.bubbles = true; o.cancelable = true;
	return el.dispatchEvent(/^key/.test(type) ? new KeyboardEvent(type, o) : new MouseEvent(type, o));
}
window.addEventListener("load", function () {
	try {
		var svgs = document.querySelectorAll("svg.flame"), A = svgs[0], B = svgs[1];
		function frame(svg, name) {
			var g = svg.querySelectorAll(".frames > g");
			for (var i = 0; i < g.length; i++) if (g[i].querySelector("title").textContent.indexOf(name + " (") === 0) return g[i];
		}
		var ids = {}, dup = 0, all = document.querySelectorAll("[id]");
		for (var i = 0; i < all.length; i++) { if (ids[all[i].id]) dup++; ids[all[i].id] = 1; }
		log("graphs", svgs.length);
		log("duplicate.ids", dup);
		fire(frame(A, "alpha").querySelector("rect"), "click");
		log("A.hidden", A.querySelectorAll(".frames > .hide").length);
		log("B.hidden", B.querySelectorAll(".frames > .hide").length);
		log("A.alpha.width", frame(A, "alpha").querySelector("rect").getAttribute("width"));
		log("url.prefixed", location.search.indexOf(encodeURIComponent(A.id + ".x") + "=") >= 0);
		var asked = 0;
		window.prompt = function () { asked++; return "gamma"; };
		fire(frame(B, "gamma").querySelector("rect"), "mouseover");
		log("B.details", B.querySelector(".details").textContent);
		log("A.details", "[" + A.querySelector(".details").textContent + "]");
		fire(window, "keydown", { key: "f", ctrlKey: true });
		log("asked", asked);
		log("B.matched", B.querySelector(".matched").textContent);
		log("A.matched", "[" + A.querySelector(".matched").textContent + "]");
		var img = document.getElementById("img");
		log("img", img.complete + " " + img.naturalWidth);
	} catch (e) { log("exception", e); }
	document.getElementById("out").textContent = lines.join("\n") + "\nEND";
});
</script></body></html>
JS
	} > "$BATS_TEST_TMPDIR/page.html"
	run dump_page "$BATS_TEST_TMPDIR/page.html"
	echo "$output"
	[[ "$output" == *"graphs=2"* ]]
	[[ "$output" == *"duplicate.ids=0"* ]]
	[[ "$output" == *"A.hidden=1"* ]]	# beta
	[[ "$output" == *"B.hidden=0"* ]]
	[[ "$output" == *"A.alpha.width=1180.0"* ]]
	[[ "$output" == *"url.prefixed=true"* ]]
	[[ "$output" == *"B.details=Function: gamma (7 samples, 70.00%)"* ]]
	[[ "$output" == *"A.details=[ ]"* ]]
	[[ "$output" == *"asked=1"* ]]
	[[ "$output" == *"B.matched=Matched: 70.0% for /gamma/"* ]]
	[[ "$output" == *"A.matched=[ ]"* ]]
	[[ "$output" == *"img=true 1200"* ]]
}

@test "browser: Matched counts frames too narrow to be drawn, relative to the zoomed frame" {
	printf 'root;a;work 490\nroot;a;x;needle 6\nroot;a;needle 4\nroot;b 500\n' > "$BATS_TEST_TMPDIR/n.folded"
	flame-render --minwidth 2% "$BATS_TEST_TMPDIR/n.folded" > "$BATS_TEST_TMPDIR/n.svg"
	refute grep -q '<title>needle' "$BATS_TEST_TMPDIR/n.svg"	# pruned: not drawn
	run in_browser "$BATS_TEST_TMPDIR/n.svg" "" "$FIND
		w.prompt = function () { return 'needle'; };
		fire(d.querySelector('.search'), 'click');
		log('all', d.querySelector('.matched').textContent);
		fire(frame('a').querySelector('rect'), 'click');
		log('zoomed', d.querySelector('.matched').textContent);
		fire(frame('b').querySelector('rect'), 'click');
		log('other', d.querySelector('.matched').textContent);"
	echo "$output"
	[[ "$output" == *"all=Matched: 1.0% for /needle/"$'\n'* ]]
	[[ "$output" == *"zoomed=Matched: 2.0% for /needle/ in a"* ]]
	[[ "$output" == *"other=Matched: 0.0% for /needle/ in b"* ]]
}

@test "browser: with --truncate-text-left, labels keep their end after a zoom too" {
	long=$(printf 'x%.0s' $(seq 1 200))_TAIL
	printf 'root;p;%s 1\nroot;q 1000\n' "$long" > "$BATS_TEST_TMPDIR/t.folded"
	flame-render --truncate-text-left "$BATS_TEST_TMPDIR/t.folded" > "$BATS_TEST_TMPDIR/t.svg"
	run in_browser "$BATS_TEST_TMPDIR/t.svg" "" "$FIND
		fire(frame('p').querySelector('rect'), 'click');
		var label = frame('$long').querySelector('text').textContent;
		log('label.start', label.substring(0, 3));
		log('label.end', label.substring(label.length - 5));
		log('label.length', label.length);"
	echo "$output"
	[[ "$output" == *"label.start=..x"* ]]
	[[ "$output" == *"label.end=_TAIL"* ]]
	[[ "$output" == *"label.length=166"* ]]	# 1177 px / 7.08 px
}
