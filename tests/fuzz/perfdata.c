/* libFuzzer target: the perf.data reader (flame-record -i): the header, attrs, feature sections and
 * pipe mode's header records, then every record of the data, decoded with its event's layout. */
#include <stdint.h>
#include <unistd.h>

#include "memfile.h"
#include "record/events.h"
#include "record/perfdata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perfdata pd;
	const struct perf_event_header *rec;
	char path[64];
	int fd = memfile(data, size, path);

	if (fd < 0)
		return 0;
	if (perfdata_open_fd(&pd, fd, "fuzz.data") == 0) {
		struct sample_layout layout;
		perfdata_layout(&pd.events[0], &layout);
		for (int n = 0; n < 100000 && perfdata_next(&pd, &rec) > 0; n++) {
			struct sample smp;
			struct sample_id id;
			struct record_mmap m;
			struct record_comm c;
			struct record_task t;
			uint64_t v;
			sample_parse(rec, &layout, &smp);
			record_sample_id(rec, &layout, &id);
			record_event_id(rec, &layout, &v);
			record_mmap_parse(rec, &layout, &m);
			record_comm_parse(rec, &layout, &c);
			record_task_parse(rec, &layout, &t);
			record_lost_parse(rec, &layout, &v);
		}
		for (size_t i = 0; i < pd.nbuild_ids; i++)
			perfdata_build_id(&pd, pd.build_ids[i].path);
		perfdata_close(&pd);
	}
	close(fd);
	return 0;
}
