package com.acme.helpdesk.support;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the benchmarks print besides their figures: CPU used by this JVM and by PostgreSQL over a run, and a
 * reference of the machine's speed at the moment (this VM's speed varies with its host, so figures compare only
 * between runs whose references agree).
 */
public record CpuUsage(long jvmNanos, long postgresNanos, Map<String, Long> jvmThreadNanos, long compilationMillis,
		long classesLoaded) {

	/**
	 * The CPU used so far by this JVM (in all, and by its threads grouped by name, digits dropped: JIT compiler and
	 * GC threads included, from /proc on Linux) and by every process named postgres (0 off Linux).
	 */
	public static CpuUsage now() {
		return new CpuUsage(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime(), postgresCpuNanos(), threadCpuNanos(new File("/proc/self/task")),
				ManagementFactory.getCompilationMXBean().getTotalCompilationTime(),
				ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
	}

	/**
	 * The CPU used so far by another process (in all, and by its threads grouped by name) and by every process named
	 * postgres; its compilation time and classes loaded are not known here (0).
	 */
	public static CpuUsage ofProcess(long pid) {
		return new CpuUsage(processCpuNanos(pid), postgresCpuNanos(), threadCpuNanos(new File("/proc/" + pid + "/task")),
				0, 0);
	}

	/** utime + stime of the process so far, from /proc (Linux); 0 elsewhere or once it has ended. */
	public static long processCpuNanos(long pid) {
		try {
			return ticksOf(Files.readString(Path.of("/proc/" + pid + "/stat"))) * 10_000_000L;
		}
		catch (IOException | RuntimeException e) {
			return 0;
		}
	}

	/**
	 * utime + stime so far of the PostgreSQL backends serving {@code database} (their process title names it), from
	 * /proc (Linux): the database's share of PostgreSQL without the server's shared processes or other databases'
	 * backends. A backend that ended takes its CPU with it.
	 */
	public static long postgresBackendsCpuNanos(String database) {
		long ticks = 0;
		var processes = new File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
		for (var process : processes == null ? new File[0] : processes) {
			try {
				var title = Files.readString(process.toPath().resolve("cmdline")).replace('\0', ' ');
				if (title.startsWith("postgres: ") && title.contains(" " + database + " ")) {
					ticks += ticksOf(Files.readString(process.toPath().resolve("stat")));
				}
			}
			catch (IOException | RuntimeException e) {
				// the process ended meanwhile
			}
		}
		return ticks * 10_000_000L;
	}

	/** The CPU used since {@code earlier}. */
	public CpuUsage since(CpuUsage earlier) {
		var threads = new HashMap<String, Long>(jvmThreadNanos);
		earlier.jvmThreadNanos.forEach((name, nanos) -> threads.merge(name, -nanos, Long::sum));
		return new CpuUsage(jvmNanos - earlier.jvmNanos, postgresNanos - earlier.postgresNanos, threads,
				compilationMillis - earlier.compilationMillis, classesLoaded - earlier.classesLoaded);
	}

	/** The JIT compiler threads' share of this JVM's CPU. */
	public double compilerShare() {
		return jvmThreadNanos.entrySet()
			.stream()
			.filter(e -> e.getKey().contains("CompilerThre"))
			.mapToLong(Map.Entry::getValue)
			.sum() / (double) Math.max(1, jvmNanos);
	}

	/** "JIT compilers x% of the JVM's CPU (y s compiling), z classes loaded". */
	public String jit() {
		return "JIT compilers %.0f%% of the JVM's CPU (%.1f s compiling), %d classes loaded".formatted(100 * compilerShare(),
				compilationMillis / 1000.0, classesLoaded);
	}

	/** "x ms in this JVM, y ms in PostgreSQL" per one of {@code units}. */
	public String per(long units) {
		return "%.2f ms in this JVM, %.2f ms in PostgreSQL".formatted(jvmNanos / 1e6 / units, postgresNanos / 1e6 / units);
	}

	/** The JVM's thread groups that used the most CPU, with their share of the JVM's. */
	public String busiestThreads(int groups) {
		return jvmThreadNanos.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(groups)
			.map(e -> "%s %.0f%%".formatted(e.getKey(), 100.0 * e.getValue() / Math.max(1, jvmNanos)))
			.collect(Collectors.joining(", "));
	}

	/** A fixed amount of single-threaded work (SHA-256 of 256 MB), in milliseconds. */
	public static double referenceMillis() {
		try {
			var digest = MessageDigest.getInstance("SHA-256");
			var block = new byte[1 << 20];
			var start = System.nanoTime();
			for (int i = 0; i < 256; i++) {
				digest.update(block);
			}
			digest.digest();
			return (System.nanoTime() - start) / 1e6;
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	public static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException e) {
			return "unknown";
		}
	}

	private static Map<String, Long> threadCpuNanos(File taskDirectory) {
		var threads = new HashMap<String, Long>();
		var tasks = taskDirectory.listFiles();
		for (var task : tasks == null ? new File[0] : tasks) {
			try {
				var stat = Files.readString(task.toPath().resolve("stat"));
				var name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
				threads.merge(name, ticksOf(stat) * 10_000_000L, Long::sum);
			}
			catch (IOException | RuntimeException e) {
				// the thread ended meanwhile
			}
		}
		return threads;
	}

	private static long ticksOf(String stat) {
		var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/**
	 * utime + stime of every process named postgres and of the children each has waited for (backends and autovacuum
	 * workers that ended meanwhile count through the postmaster), from /proc (Linux); 0 elsewhere.
	 */
	private static long postgresCpuNanos() {
		long ticks = 0;
		var processes = new File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
		for (var process : processes == null ? new File[0] : processes) {
			try {
				var stat = Files.readString(process.toPath().resolve("stat"));
				if (!stat.contains("(postgres)")) {
					continue;
				}
				// with the CPU of the children it has waited for: the postmaster's, of backends and workers that ended
				var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				ticks += ticksOf(stat) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
			}
			catch (IOException | RuntimeException e) {
				// the process ended meanwhile
			}
		}
		return ticks * 10_000_000L;
	}
}
