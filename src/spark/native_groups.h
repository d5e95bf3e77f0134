// Native functions by function group (native.cc collects them into NativeFunctions()).
#pragma once

#include <vector>

#include "spark/native.h"

namespace sluice::spark::internal {

void AddStringNatives(std::vector<NativeFunction>& out);
void AddMathNatives(std::vector<NativeFunction>& out);
void AddDatetimeNatives(std::vector<NativeFunction>& out);
void AddHashNatives(std::vector<NativeFunction>& out);
void AddJsonNatives(std::vector<NativeFunction>& out);
void AddMiscNatives(std::vector<NativeFunction>& out);
void AddAggregateNatives(std::vector<NativeAggregate>& out);
void AddApproximatePercentileNative(std::vector<NativeAggregate>& out);

}  // namespace sluice::spark::internal
