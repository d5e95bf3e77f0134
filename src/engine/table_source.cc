// The table function `sluice_table_source(BIGINT)` over registered TableSources.
//
// A process-wide registry maps ids to sources and to the database they were registered
// through. Bind resolves the id there and keeps a reference to the source in its bind data,
// so a query that bound a source finishes with it even if the source is unregistered
// meanwhile. DuckDB runs global init once per scan (it caps the scan's threads at the
// source's max_threads), local init once per thread of the scan (one producer each), and
// the scan callback on that producer's state, never concurrently for one state.
#include "engine/table_source.h"

#include <duckdb.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

#include "engine/internal.h"

namespace sluice::engine {
namespace {

constexpr char kFunctionName[] = "sluice_table_source";
constexpr std::string_view kInvalidInputPrefix = "Invalid Input Error: ";
constexpr std::string_view kErrorMarker = "table source error (";

struct Registration {
  std::shared_ptr<TableSource> source;
  const internal::DatabaseSources* database;  // where the source may be read
};

struct Registry {
  std::mutex mutex;
  int64_t next_id = 1;
  std::unordered_map<int64_t, Registration> sources;
};

// Never destroyed: a Database may close during static destruction and still unregister.
Registry& GetRegistry() {
  static Registry& registry = *new Registry();
  return registry;
}

std::shared_ptr<TableSource> FindSource(int64_t id, const internal::DatabaseSources* database) {
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  auto it = registry.sources.find(id);
  if (it == registry.sources.end() || it->second.database != database) return nullptr;
  return it->second.source;
}

duckdb_type DuckType(SourceType type) {
  switch (type) {
    case SourceType::kVarchar:
      return DUCKDB_TYPE_VARCHAR;
    case SourceType::kBlob:
      return DUCKDB_TYPE_BLOB;
    case SourceType::kInteger:
      return DUCKDB_TYPE_INTEGER;
    case SourceType::kBigint:
      return DUCKDB_TYPE_BIGINT;
    case SourceType::kDouble:
      return DUCKDB_TYPE_DOUBLE;
    case SourceType::kBoolean:
      return DUCKDB_TYPE_BOOLEAN;
    case SourceType::kDate:
      return DUCKDB_TYPE_DATE;
    case SourceType::kTimestamp:
      return DUCKDB_TYPE_TIMESTAMP_TZ;
  }
  return DUCKDB_TYPE_INVALID;
}

// DuckDB's VARCHAR vectors must hold valid UTF-8 (anything else is undefined behaviour in
// later operators), so the writer checks what producers give it.
bool IsValidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t code_point;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;
    }
    if (size - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (bytes[i + k] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

// Writes a producer's rows straight into DuckDB's output chunk. Every cell starts NULL
// (validity cleared) and becomes valid when set, so cells a producer skips read as NULL.
class VectorChunkWriter final : public ChunkWriter {
 public:
  explicit VectorChunkWriter(const std::vector<SourceType>& types) {
    columns_.reserve(types.size());
    for (SourceType type : types) columns_.push_back(Column{type});
  }

  // Points the writer at a new output chunk and clears every cell to NULL.
  void Reset(duckdb_data_chunk chunk) {
    capacity_ = duckdb_vector_size();
    first_invalid_utf8_.reset();
    for (size_t i = 0; i < columns_.size(); ++i) {
      Column& column = columns_[i];
      column.vector = duckdb_data_chunk_get_vector(chunk, i);
      duckdb_vector_ensure_validity_writable(column.vector);
      column.validity = duckdb_vector_get_validity(column.vector);
      std::memset(column.validity, 0, (capacity_ + 63) / 64 * sizeof(uint64_t));
      column.data = duckdb_vector_get_data(column.vector);
      // A NULL string cell still holds a string header; an empty one is harmless whatever
      // reads it, unlike one left over from an earlier chunk whose bytes are gone.
      if (column.type == SourceType::kVarchar || column.type == SourceType::kBlob) {
        std::memset(column.data, 0, capacity_ * sizeof(duckdb_string_t));
      }
    }
  }

  // The first (lowest) row where a producer wrote a string that is not UTF-8, and its column.
  std::optional<std::pair<size_t, size_t>> first_invalid_utf8() const {
    return first_invalid_utf8_;
  }

  size_t capacity() const override { return capacity_; }

  void SetNull(size_t column, size_t row) override {
    SLUICE_DCHECK(column < columns_.size() && row < capacity_);
    columns_[column].validity[row / 64] &= ~(uint64_t{1} << (row % 64));
  }

  void SetString(size_t column, size_t row, std::string_view value) override {
    Column& target = Cell(column, row, SourceType::kVarchar);
    if (!IsValidUtf8(value)) {
      if (!first_invalid_utf8_ || row < first_invalid_utf8_->first) {
        first_invalid_utf8_ = std::make_pair(row, column);
      }
      SetNull(column, row);
      return;
    }
    duckdb_vector_assign_string_element_len(target.vector, row, value.data(), value.size());
  }

  void SetBlob(size_t column, size_t row, std::string_view bytes) override {
    Column& target = Cell(column, row, SourceType::kBlob);
    duckdb_vector_assign_string_element_len(target.vector, row, bytes.data(), bytes.size());
  }

  void SetInt32(size_t column, size_t row, int32_t value) override {
    static_cast<int32_t*>(Cell(column, row, SourceType::kInteger).data)[row] = value;
  }

  void SetInt64(size_t column, size_t row, int64_t value) override {
    static_cast<int64_t*>(Cell(column, row, SourceType::kBigint).data)[row] = value;
  }

  void SetDouble(size_t column, size_t row, double value) override {
    static_cast<double*>(Cell(column, row, SourceType::kDouble).data)[row] = value;
  }

  void SetBool(size_t column, size_t row, bool value) override {
    static_cast<bool*>(Cell(column, row, SourceType::kBoolean).data)[row] = value;
  }

  void SetDate(size_t column, size_t row, int32_t days) override {
    static_cast<duckdb_date*>(Cell(column, row, SourceType::kDate).data)[row].days = days;
  }

  void SetTimestamp(size_t column, size_t row, int64_t micros) override {
    static_cast<duckdb_timestamp*>(Cell(column, row, SourceType::kTimestamp).data)[row].micros =
        micros;
  }

 private:
  struct Column {
    SourceType type;
    duckdb_vector vector = nullptr;
    void* data = nullptr;
    uint64_t* validity = nullptr;
  };

  // Marks the cell valid and returns its column. A wrong type or position is a bug in the
  // producer: it would write past the vector or misread its bytes.
  Column& Cell(size_t column, size_t row, SourceType type) {
    SLUICE_DCHECK(column < columns_.size() && row < capacity_);
    Column& target = columns_[column];
    SLUICE_DCHECK(target.type == type) << "column " << column << " written with the wrong type";
    target.validity[row / 64] |= uint64_t{1} << (row % 64);
    return target;
  }

  std::vector<Column> columns_;
  size_t capacity_ = 0;
  std::optional<std::pair<size_t, size_t>> first_invalid_utf8_;
};

struct BindData {
  int64_t id = 0;
  std::shared_ptr<TableSource> source;
  // Fixed at bind: the scan writes exactly these columns whatever columns() says later.
  std::vector<std::string> names;
  std::vector<SourceType> types;
};

// What every thread of one scan shares: the source's BeginScan result.
struct GlobalState {
  std::shared_ptr<void> scan;
};

// One thread's share of a scan. The producer is made at the first Fill, where the global
// state is reachable (local init cannot see it).
struct LocalState {
  explicit LocalState(const std::vector<SourceType>& types) : writer(types) {}
  std::unique_ptr<TableProducer> producer;
  VectorChunkWriter writer;
  bool done = false;
};

// DuckDB's delete callback for objects handed over with unique_ptr::release().
template <typename T>
void DeleteAs(void* object) {
  std::unique_ptr<T> owned(static_cast<T*>(object));
}

void Bind(duckdb_bind_info info) {
  const auto* database =
      static_cast<const internal::DatabaseSources*>(duckdb_bind_get_extra_info(info));
  duckdb_value parameter = duckdb_bind_get_parameter(info, 0);
  bool is_null = parameter == nullptr || duckdb_is_null_value(parameter);
  int64_t id = is_null ? 0 : duckdb_get_int64(parameter);
  if (parameter != nullptr) duckdb_destroy_value(&parameter);
  std::shared_ptr<TableSource> source = is_null ? nullptr : FindSource(id, database);
  if (source == nullptr) {
    std::string error = StrCat("unknown table source ", is_null ? "NULL" : std::to_string(id));
    duckdb_bind_set_error(info, error.c_str());
    return;
  }
  auto data = std::make_unique<BindData>();
  data->id = id;
  for (const SourceColumn& column : source->columns()) {
    duckdb_logical_type type = duckdb_create_logical_type(DuckType(column.type));
    duckdb_bind_add_result_column(info, column.name.c_str(), type);
    duckdb_destroy_logical_type(&type);
    data->names.push_back(column.name);
    data->types.push_back(column.type);
  }
  if (data->types.empty()) {
    std::string error = StrCat("table source ", id, " has no columns");
    duckdb_bind_set_error(info, error.c_str());
    return;
  }
  data->source = std::move(source);
  duckdb_bind_set_bind_data(info, data.release(), &DeleteAs<BindData>);
}

void InitGlobal(duckdb_init_info info) {
  const auto* data = static_cast<const BindData*>(duckdb_init_get_bind_data(info));
  duckdb_init_set_max_threads(info, static_cast<idx_t>(std::max(1, data->source->max_threads())));
  Result<std::shared_ptr<void>> scan = data->source->BeginScan();
  if (!scan.ok()) {
    duckdb_init_set_error(info, internal::TableSourceErrorText(scan.status()).c_str());
    return;
  }
  auto state = std::make_unique<GlobalState>();
  state->scan = std::move(scan).value();
  duckdb_init_set_init_data(info, state.release(), &DeleteAs<GlobalState>);
}

void InitLocal(duckdb_init_info info) {
  const auto* data = static_cast<const BindData*>(duckdb_init_get_bind_data(info));
  auto state = std::make_unique<LocalState>(data->types);
  duckdb_init_set_init_data(info, state.release(), &DeleteAs<LocalState>);
}

void Scan(duckdb_function_info info, duckdb_data_chunk output) {
  const auto* data = static_cast<const BindData*>(duckdb_function_get_bind_data(info));
  auto* state = static_cast<LocalState*>(duckdb_function_get_local_init_data(info));
  if (state->done) {
    duckdb_data_chunk_set_size(output, 0);
    return;
  }
  if (state->producer == nullptr) {
    const auto* global = static_cast<const GlobalState*>(duckdb_function_get_init_data(info));
    Result<std::unique_ptr<TableProducer>> producer = data->source->MakeProducer(global->scan);
    Status status = producer.status();
    if (status.ok() && *producer == nullptr) {
      status = Internal("table source ", data->id, " made no producer");
    }
    if (!status.ok()) {
      duckdb_function_set_error(info, internal::TableSourceErrorText(status).c_str());
      return;
    }
    state->producer = std::move(producer).value();
  }
  state->writer.Reset(output);
  Result<size_t> rows = state->producer->Fill(state->writer);
  Status status = rows.status();
  if (status.ok() && *rows > state->writer.capacity()) {
    status = Internal("table source ", data->id, " produced ", *rows, " rows into a chunk of ",
                      state->writer.capacity());
  }
  if (status.ok()) {
    auto invalid = state->writer.first_invalid_utf8();
    if (invalid && invalid->first < *rows) {
      status = InvalidArgument("table source ", data->id,
                               " produced text that is not UTF-8 in "
                               "column \"",
                               data->names[invalid->second], "\"");
    }
  }
  if (!status.ok()) {
    duckdb_function_set_error(info, internal::TableSourceErrorText(status).c_str());
    return;
  }
  duckdb_data_chunk_set_size(output, *rows);
  if (*rows == 0) state->done = true;
}

// Creates sluice_table_source in `database`'s catalog unless it exists. It goes through a
// connection of its own, in its own transaction: through the caller's connection it would
// join whatever transaction that connection has open and vanish if that one rolled back.
Status EnsureTableFunction(internal::DatabaseSources& database) {
  std::lock_guard lock(database.mutex);
  if (database.function_created) return Status::OK();
  duckdb_connection connection = nullptr;
  if (duckdb_connect(database.database, &connection) == DuckDBError) {
    return Internal("cannot connect to DuckDB database to create ", kFunctionName);
  }
  duckdb_table_function function = duckdb_create_table_function();
  duckdb_table_function_set_name(function, kFunctionName);
  duckdb_logical_type bigint = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
  duckdb_table_function_add_parameter(function, bigint);
  duckdb_destroy_logical_type(&bigint);
  // Binding checks that an id was registered through this database; the catalog entry dies
  // with the database, before `database` does.
  duckdb_table_function_set_extra_info(function, &database, nullptr);
  duckdb_table_function_set_bind(function, Bind);
  duckdb_table_function_set_init(function, InitGlobal);
  duckdb_table_function_set_local_init(function, InitLocal);
  duckdb_table_function_set_function(function, Scan);
  duckdb_state state = duckdb_register_table_function(connection, function);
  duckdb_destroy_table_function(&function);
  duckdb_disconnect(&connection);
  if (state == DuckDBError) return Internal("cannot create table function ", kFunctionName);
  database.function_created = true;
  return Status::OK();
}

}  // namespace

Result<int64_t> RegisterTableSource(Connection& connection, std::shared_ptr<TableSource> source) {
  SLUICE_CHECK(source != nullptr) << "RegisterTableSource needs a source";
  internal::DatabaseSources& database = *connection.impl_->sources;
  SLUICE_RETURN_IF_ERROR(EnsureTableFunction(database));
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  int64_t id = registry.next_id++;
  registry.sources.emplace(id, Registration{std::move(source), &database});
  return id;
}

void UnregisterTableSource(int64_t id) {
  std::shared_ptr<TableSource> released;  // destroyed outside the lock
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  auto it = registry.sources.find(id);
  if (it == registry.sources.end()) return;
  released = std::move(it->second.source);
  registry.sources.erase(it);
}

std::string TableSourceCall(int64_t id) { return StrCat(kFunctionName, "(", id, ")"); }

namespace internal {

DatabaseSources::~DatabaseSources() {
  std::vector<std::shared_ptr<TableSource>> released;  // destroyed outside the lock
  Registry& registry = GetRegistry();
  std::lock_guard lock(registry.mutex);
  for (auto it = registry.sources.begin(); it != registry.sources.end();) {
    if (it->second.database == this) {
      released.push_back(std::move(it->second.source));
      it = registry.sources.erase(it);
    } else {
      ++it;
    }
  }
}

std::string TableSourceErrorText(const Status& status) {
  return StrCat(kErrorMarker, StatusCodeName(status.code()), "): ", status.message());
}

std::optional<Status> TableSourceErrorFromMessage(std::string_view duckdb_message) {
  std::string_view text = duckdb_message;
  if (text.starts_with(kInvalidInputPrefix)) text.remove_prefix(kInvalidInputPrefix.size());
  if (!text.starts_with(kErrorMarker)) return std::nullopt;
  text.remove_prefix(kErrorMarker.size());
  size_t end = text.find("): ");
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view name = text.substr(0, end);
  for (StatusCode code :
       {StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kAlreadyExists,
        StatusCode::kIOError, StatusCode::kCorruption, StatusCode::kNotSupported,
        StatusCode::kConflict, StatusCode::kAborted, StatusCode::kInternal}) {
    if (StatusCodeName(code) == name) return Status(code, std::string(text.substr(end + 3)));
  }
  return std::nullopt;
}

}  // namespace internal
}  // namespace sluice::engine
