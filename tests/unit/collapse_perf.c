/* Unit tests for collapse/perf.c: headers, frame lines, tidying, Rust names, event names. */
#include "check.h"
#include "collapse/perf.h"

static struct perf_header header(const char *line, int *ok)
{
	struct perf_header h;
	*ok = perf_parse_header(line, strlen(line), &h);
	return h;
}

static void test_headers(void)
{
	int ok;
	struct perf_header h = header("java 12688 [002] 6544038.708352: 235 cpu-clock:", &ok);
	CHECK(ok);
	CHECK_MEM(h.comm.ptr, h.comm.len, "java");
	CHECK(h.pid.len == 0);
	CHECK_MEM(h.tid.ptr, h.tid.len, "12688");
	CHECK_MEM(h.time.ptr, h.time.len, "6544038.708352");
	CHECK(h.has_period && h.period == 235);
	CHECK_MEM(h.event.ptr, h.event.len, "cpu-clock");

	h = header("V8 WorkerThread 24636/25607 [000] 94564.109216: 100 cycles:u:", &ok);
	CHECK(ok);
	CHECK_MEM(h.comm.ptr, h.comm.len, "V8 WorkerThread");
	CHECK_MEM(h.pid.ptr, h.pid.len, "24636");
	CHECK_MEM(h.tid.ptr, h.tid.len, "25607");
	CHECK_MEM(h.event.ptr, h.event.len, "cycles:u");

	h = header("         my work  9635  1498.336935:    2004008 cpu-clock:ppp:      564b7c6d41bc spin_leaf+0x43 (/tmp/my work)", &ok);
	CHECK(ok);
	CHECK_MEM(h.comm.ptr, h.comm.len, "my work");
	CHECK(h.period == 2004008);
	CHECK_MEM(h.trailing_frame.ptr, h.trailing_frame.len, "564b7c6d41bc spin_leaf+0x43 (/tmp/my work)");

	h = header("perf  9727 [000]  1507.789414: sched:sched_switch: prev_comm=perf prev_pid=9727 ==> next_comm=x", &ok);
	CHECK(ok);
	CHECK_MEM(h.event.ptr, h.event.len, "sched:sched_switch");
	CHECK(!h.has_period && h.trailing_frame.len == 0);

	h = header("a 1 [000] 2.0: 3 cycles:", &ok);	/* one-character name */
	CHECK(ok);
	CHECK_MEM(h.comm.ptr, h.comm.len, "a");
	CHECK(h.period == 3);

	h = header("java 25607 4794564.109216: cycles:", &ok);	/* no period */
	CHECK(ok && !h.has_period);

	h = header("swapper     0/0     [000] 1.0: 1 cpu-clock:", &ok);
	CHECK(ok && h.pid.len == 0);	/* "0/0" reads as tid 0, as in the Perl */

	CHECK(!header("", &ok).comm.len && !ok);
	header("a;b;c 42", &ok);
	CHECK(!ok);	/* a folded line is no header */
	header("\tffffffff81000001 worker_thread+0x11 ([kernel.kallsyms])", &ok);
	CHECK(!ok);
	header("x\x01y 12 [000] 1.0: 1 cpu-clock:", &ok);
	CHECK(!ok);	/* control characters: binary, not a process name */
	h = header("p 1 [000] 1.0: 99999999999999999999999 cycles:", &ok);
	CHECK(ok && !h.has_period && h.period_overflow);
}

static struct perf_frame frame(const char *line, int *ok)
{
	struct perf_frame f;
	*ok = perf_parse_frame(line, strlen(line), &f);
	return f;
}

static void test_frames(void)
{
	int ok;
	struct perf_frame f = frame("\t    55d8a3c2b1a9 leaf_b+0x19 (/opt/bench/deep)", &ok);
	CHECK(ok);
	CHECK_MEM(f.pc.ptr, f.pc.len, "55d8a3c2b1a9");
	CHECK_MEM(f.func.ptr, f.func.len, "leaf_b+0x19");
	CHECK_MEM(f.dso.ptr, f.dso.len, "/opt/bench/deep");

	f = frame("  7f1e2215d058  (/lib/libc.so)", &ok);
	CHECK(ok);
	CHECK_MEM(f.func.ptr, f.func.len, " ");

	f = frame("\t7f00 std::function<int (int, int)>::operator()(int, int) const (/usr/bin/x)", &ok);
	CHECK(ok);
	CHECK_MEM(f.func.ptr, f.func.len, "std::function<int (int, int)>::operator()(int, int) const");

	f = frame("\t7f00 paint+0x5 (/opt/my app/lib x (copy).so)", &ok);
	CHECK(ok);
	CHECK_MEM(f.dso.ptr, f.dso.len, "/opt/my app/lib x (copy).so");

	f = frame("\t7f1e LFoo;::bar ([JIT app cache])", &ok);
	CHECK(ok);
	CHECK_MEM(f.dso.ptr, f.dso.len, "[JIT app cache]");

	/* no symbol: " ", a byte of the line itself, before the dso (found by fuzzing) */
	const char *nosym = "\tffff (/bin/x)";
	f = frame(nosym, &ok);
	CHECK(ok);
	CHECK_MEM(f.func.ptr, f.func.len, " ");
	CHECK(f.func.ptr >= nosym && f.func.ptr + f.func.len <= f.dso.ptr);
	CHECK_MEM(f.pc.ptr, f.pc.len, "ffff");

	frame("\tTHIS_IS_A_WEIRD_LINE", &ok);
	CHECK(!ok);
	frame("", &ok);
	CHECK(!ok);
	frame("   ", &ok);
	CHECK(!ok);
	frame("ab (", &ok);
	CHECK(!ok);
}

static const char *tidy(const char *line, struct tidy_options o)
{
	static struct strbuf sb = STRBUF_INIT;
	struct perf_frame f;
	sb_reset(&sb);
	if (!perf_parse_frame(line, strlen(line), &f))
		return "(no frame)";
	if (!tidy_frame(&f, &o, NULL, 0, &sb))
		return "(skipped)";
	return sb.buf;
}

static void test_tidy(void)
{
	struct tidy_options none = { 0 }, all = { 1, 1, 0, 0 }, addrs = { 0, 0, 1, 0 }, java = { 0, 0, 0, 1 };
	CHECK_STR(tidy("\t1 main+0x1f (/bin/a)", none), "main");
	CHECK_STR(tidy("\t1 main+0x1F (/bin/a)", none), "main+0x1F");	/* the Perl strips lowercase only */
	CHECK_STR(tidy("\t1 foo(int, char*) (/bin/a)", none), "foo");
	CHECK_STR(tidy("\t1 (anonymous namespace)::bar() (/bin/a)", none), "(skipped)");
	CHECK_STR(tidy("\t1 ns::(anonymous namespace)::bar(int) (/bin/a)", none), "ns::(anonymous namespace)::bar");
	CHECK_STR(tidy("\t1 go/build.(*importReader).readByte (/bin/a)", none), "go/build.(*importReader).readByte");
	CHECK_STR(tidy("\t1 {lambda(int, int)#2}::operator() (/bin/a)", none), "{lambda(int, int)#2}::operator");
	CHECK_STR(tidy("\t1 RegExp:[&<>\\\"\\'] (/tmp/perf-1.map)", none), "RegExp:[&<>\\\\]");
	CHECK_STR(tidy("\t1 a;b (/bin/a)", none), "a:b");
	CHECK_STR(tidy("\t1 [unknown] (/usr/lib/libc.so.6)", none), "[libc.so.6]");
	CHECK_STR(tidy("\t1 [unknown] ([unknown])", none), "[unknown]");
	CHECK_STR(tidy("\tdead [unknown] ([unknown])", addrs), "[unknown <dead>]");
	CHECK_STR(tidy("\tbeef [unknown] (/bin/x)", addrs), "[x <beef>]");
	CHECK_STR(tidy("\t1 schedule ([kernel.kallsyms])", all), "schedule_[k]");
	CHECK_STR(tidy("\t1 net_rx_action (/usr/lib/debug/boot/vmlinux-5.4.14-cf)", all), "net_rx_action_[k]");
	CHECK_STR(tidy("\t1 mlx5e_napi_poll (/lib/modules/5/mlx5_core.ko)", all), "mlx5e_napi_poll_[k]");
	CHECK_STR(tidy("\t1 [unknown] ([unknown])", all), "[unknown]");
	CHECK_STR(tidy("\t1 Interpreter (/tmp/perf-77.map)", all), "Interpreter_[j]");
	CHECK_STR(tidy("\t1 fib (/root/.debug/jit/jitted-123-4.so)", all), "fib_[j]");
	CHECK_STR(tidy("\t1 Lcom/a/B;.run->Lcom/a/C;.go (/tmp/perf-1.map)", java), "com/a/B:.run;com/a/C:.go_[i]");
	CHECK_STR(tidy("\t1 Lcom/a/B;.run (/tmp/perf-1.map)", none), "Lcom/a/B:.run");
	CHECK_STR(tidy("\t1 std::sys::unix::fs::File::open::hb90e1c1c787080f0 (/bin/r)", none), "std::sys::unix::fs::File::open");
	CHECK_STR(tidy("\t1 _$LT$std..fs..ReadDir$u20$as$u20$core..iter..Iterator$GT$::next::hc14f1750ca79129b (/bin/r)", none),
		  "<std::fs::ReadDir as core::iter::Iterator>::next");
	CHECK_STR(tidy("\t1 a::_$u7b$$u7b$closure$u7d$$u7d$::h6e849b55a66fcd85 (/bin/r)", none), "a::_{{closure}}");
	CHECK_STR(tidy("\t1 _ZN4core3fmt5write17h0123456789abcdefE (/bin/r)", none), "_ZN4core3fmt5write17h0123456789abcdefE");
	/* flame-record's rules (common/demangle.h): any printable $uXX$, a hash of 16 lower-case hex
	 * digits with at least 5 different ones (else it is a C++ name, left alone) */
	CHECK_STR(tidy("\t1 a::b$u3f$$GT$::h0123456789abcdef (/bin/r)", none), "a::b?>");
	CHECK_STR(tidy("\t1 spin::loop::h000000000000ffff (/bin/r)", none), "spin::loop::h000000000000ffff");
	CHECK_STR(tidy("\t1 spin::loop::h0123456789ABCDEF (/bin/r)", none), "spin::loop::h0123456789ABCDEF");

	/* --srcline: one source line per inlined part, "[...]" removed, trimmed */
	struct perf_frame f;
	const char *line = "\t1 hot+0x1 (/bin/a)";
	perf_parse_frame(line, strlen(line), &f);
	struct span src[1] = { { "  work.c:6 [discriminator 1] ", 29 } };
	struct strbuf sb = STRBUF_INIT;
	CHECK(tidy_frame(&f, &none, src, 1, &sb) == 1);
	CHECK_STR(sb.buf, "hot:work.c:6");
	sb_release(&sb);
	CHECK(srcline_count(&f) == 1);
	line = "\t1 [unknown] ([unknown])";
	perf_parse_frame(line, strlen(line), &f);
	CHECK(srcline_count(&f) == 0);
}

static void test_events(void)
{
	struct span cyc = { "cycles:uppp", 11 }, sched = { "sched:sched_switch", 18 };
	struct span base = perf_event_base(cyc);
	CHECK_MEM(base.ptr, base.len, "cycles");
	base = perf_event_base(sched);
	CHECK_MEM(base.ptr, base.len, "sched:sched_switch");
	CHECK(perf_event_matches(cyc, "cycles"));
	CHECK(perf_event_matches(cyc, "cycles:uppp"));
	CHECK(!perf_event_matches(cyc, "instructions"));
	CHECK(perf_event_matches(sched, "sched:sched_switch"));
	CHECK(!perf_event_matches(sched, "sched"));
}

int main(void)
{
	test_headers();
	test_frames();
	test_tidy();
	test_events();
	return check_report("collapse_perf");
}
