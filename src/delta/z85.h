// Z85 (ZeroMQ RFC 32 base-85), the text encoding Delta uses for deletion-vector UUIDs and
// inline deletion vectors: every 4 bytes become 5 printable characters.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace sluice::delta {

// Encodes `bytes`, padded with zero bytes to a multiple of 4 (Delta pads inline DVs this way
// and records the unpadded length separately).
std::string Z85Encode(std::string_view bytes);

// Decodes Z85 text whose length is a multiple of 5. A last group that starts with k '#'
// characters (k = 1..3) holds only 4 - k bytes: the tail padding of the Rust z85 crate, which
// some real inline deletion vectors use. InvalidArgument for another length, a character
// outside the alphabet or a group above 2^32 - 1 (or 2^(8 * (4 - k)) - 1).
Result<std::string> Z85Decode(std::string_view text);

}  // namespace sluice::delta
