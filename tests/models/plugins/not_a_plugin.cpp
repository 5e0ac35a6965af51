// A shared library that is not a model plugin (exports none of the ABI's functions).
extern "C" __attribute__((visibility("default"))) int some_other_function(void) { return 1; }
