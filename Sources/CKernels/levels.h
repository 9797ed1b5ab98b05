#ifndef QUERYKIND_CKERNELS_LEVELS_H
#define QUERYKIND_CKERNELS_LEVELS_H

// Shared by the kernel files, not part of the module's interface.

#define INLINE static inline __attribute__((always_inline))

/// `level` lowered to the highest this CPU runs (`qk_supported_level`, read once). Hidden: the SQLite extension
/// links these kernels into other programs' processes, where only the module's interface should be visible.
__attribute__((visibility("hidden"))) int qk_level_here(int level);

#endif
