// Compiled on purpose as part of the store layer by the layers.upward test: store
// sits below index, so the second include must fail with "file not found". The
// first one, from a layer below store, must be found.
#include "model/record_type.hpp"
#include "index/index.hpp"
