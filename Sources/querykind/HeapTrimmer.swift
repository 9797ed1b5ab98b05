import Foundation

/// Gives the heap pages that glibc's allocator holds free back to the system, every minute, in the long-running
/// commands (`serve`, `watch`).
///
/// Why: glibc keeps memory freed by a thread in that thread's arena and returns it only from the top of the main
/// heap, so a server whose memory cache turns over strings on a dozen threads keeps growing its RSS with pages it
/// no longer uses. In an hour of `bench/soak.sh` (`--memory-cache 20000`) the server's RSS rose by about 0.5 MiB a
/// minute while the memory in use did not; one `malloc_trim(0)` took it from 195 to 162 MiB. A trim costs
/// milliseconds and only the program, not a library, may decide it for the whole process.
enum HeapTrimmer {
    /// Starts trimming every minute for the rest of the process (once, however often it is called); does nothing
    /// where the C library has no `malloc_trim`.
    static func start() {
        _ = started
    }

    private static let started: Void = {
        // Glibc's Swift module does not export <malloc.h>, so the function is looked up by name.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        Thread.detachNewThread {
            while true {
                Thread.sleep(forTimeInterval: 60)
                _ = trim(0)
            }
        }
    }()
}
