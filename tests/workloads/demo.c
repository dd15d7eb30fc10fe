/* The `make demo` workload: the main loop of a tiny game, about 2 seconds of CPU. Each frame it
 * moves the world (physics_step), lets the monsters plan their moves (ai_think -> path_search),
 * and draws (render_frame -> shade_pixels, draw_sprites). Shading costs the most, as in life. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 160
#define H 100
#define BODIES 512
#define GRID 48

static unsigned pixels[W * H];
static float pos[BODIES][2], vel[BODIES][2];
static unsigned char maze[GRID][GRID];
static unsigned long frame_checksum;

/* Called once per outer iteration so that no hot function is a leaf: compilers drop the frame
 * pointer of leaf functions, and the leaf's caller would vanish from the call stacks. */
__attribute__((noinline)) void frame_tick(void)
{
	__asm__ volatile("");
}

__attribute__((noinline)) void physics_step(float dt)
{
	for (int i = 0; i < BODIES; i++) {
		for (int j = 0; j < BODIES; j += 8) {
			float dx = pos[j][0] - pos[i][0], dy = pos[j][1] - pos[i][1];
			float d2 = dx * dx + dy * dy + 0.01f;
			vel[i][0] += dt * dx / d2;
			vel[i][1] += dt * dy / d2;
		}
		pos[i][0] += dt * vel[i][0];
		pos[i][1] += dt * vel[i][1];
		frame_tick();
	}
}

__attribute__((noinline)) int path_search(int sx, int sy, int tx, int ty)
{
	static short dist[GRID][GRID];
	static int queue[GRID * GRID];
	int head = 0, tail = 0;

	memset(dist, -1, sizeof(dist));
	dist[sy][sx] = 0;
	queue[tail++] = sy * GRID + sx;
	while (head < tail) {
		int at = queue[head++], x = at % GRID, y = at / GRID;
		static const int dx[] = { 1, -1, 0, 0 }, dy[] = { 0, 0, 1, -1 };
		if (x == tx && y == ty)
			break;
		for (int k = 0; k < 4; k++) {
			int nx = x + dx[k], ny = y + dy[k];
			if (nx < 0 || ny < 0 || nx >= GRID || ny >= GRID || maze[ny][nx] || dist[ny][nx] >= 0)
				continue;
			dist[ny][nx] = (short)(dist[y][x] + 1);
			queue[tail++] = ny * GRID + nx;
		}
		if ((head & 255) == 0)
			frame_tick();
	}
	return dist[ty][tx];
}

__attribute__((noinline)) int ai_think(int frame)
{
	int sum = 0;
	for (int monster = 0; monster < 6; monster++)
		sum += path_search((monster * 7) % GRID, 0, (frame + monster) % GRID, GRID - 1);
	return sum;
}

__attribute__((noinline)) void shade_pixels(int frame)
{
	for (int y = 0; y < H; y++) {
		for (int x = 0; x < W; x++) {
			float u = (x - W / 2) / (float)H, v = (y - H / 2) / (float)H, t = frame * 0.05f;
			float r = 0, g = 0;
			for (int k = 0; k < 12; k++) {
				r += u * v * k + t;
				g += (u + k) * (v - t) * 0.5f;
				u = u * 0.9f + g * 0.01f;
				v = v * 0.9f - r * 0.01f;
			}
			pixels[y * W + x] = (unsigned)(r * 255) << 8 ^ (unsigned)(g * 255);
		}
		frame_tick();
	}
}

__attribute__((noinline)) void draw_sprites(void)
{
	for (int i = 0; i < BODIES; i++) {
		int x = (int)pos[i][0] & (W - 1), y = (int)pos[i][1] % H;
		for (int k = 0; k < 64; k++)
			pixels[((y + k / 8) % H) * W + (x + k % 8) % W] ^= 0x00ff00ffu + (unsigned)k;
		frame_tick();
	}
}

__attribute__((noinline)) void render_frame(int frame)
{
	shade_pixels(frame);
	draw_sprites();
	for (int i = 0; i < W * H; i += 97)
		frame_checksum += pixels[i];
}

int main(int argc, char **argv)
{
	int frames = argc > 1 ? atoi(argv[1]) : 3000;

	srand(42);
	for (int i = 0; i < BODIES; i++) {
		pos[i][0] = rand() % W;
		pos[i][1] = rand() % H;
	}
	for (int y = 0; y < GRID; y++)
		for (int x = 0; x < GRID; x++)
			maze[y][x] = (rand() % 4 == 0) && y > 0 && y < GRID - 1;
	for (int frame = 0; frame < frames; frame++) {
		physics_step(0.01f);
		frame_checksum += (unsigned long)ai_think(frame);
		render_frame(frame);
	}
	printf("demo: %d frames, checksum %lu\n", frames, frame_checksum);
	return 0;
}
