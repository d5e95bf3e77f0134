// Random (version 4) UUIDs for table ids and unique data file names.
#pragma once

#include <string>

namespace sluice {

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower-case hex, from a thread-safe random source.
std::string NewUuid();

}  // namespace sluice
