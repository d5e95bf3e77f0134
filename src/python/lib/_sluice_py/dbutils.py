"""dbutils in pipeline files: secrets and widgets read the pipeline's configuration.

dbutils.secrets.get(scope, key) reads the local secret provider (docs/secrets.md): the
environment variable SLUICE_SECRET_<SCOPE>_<KEY> (upper case, other characters as `_`),
then the owner-only secrets file; else the configuration value `secrets.<scope>.<key>`. dbutils.widgets.get(name) reads the configuration value
`name`."""

import re

import _sluice

from _sluice_py import errors


def _env_name(scope, key):
    return "SLUICE_SECRET_" + re.sub(r"[^A-Za-z0-9]", "_", "%s_%s" % (scope, key)).upper()


class _Secrets:
    def __init__(self, configuration):
        self._configuration = configuration

    def get(self, scope, key):
        # The process environment as it is now (os.environ is a copy made when the
        # interpreter started, which may be long before this load).
        value = _sluice.secret(scope, key)
        if value is None:
            value = self._configuration.get("secrets.%s.%s" % (scope, key))
        if value is None:
            raise errors.PySparkException(
                "Secret does not exist with scope: %s and key: %s (set the environment "
                "variable %s, add it to the secrets file, or set the configuration value "
                "secrets.%s.%s)" % (scope, key, _env_name(scope, key), scope, key))
        _sluice.note_secret(value)  # kept out of the event log and printed SQL
        return value

    def getBytes(self, scope, key):
        return self.get(scope, key).encode("utf-8")

    def list(self, scope):
        raise errors.unsupported("dbutils.secrets.list")

    def listScopes(self):
        raise errors.unsupported("dbutils.secrets.listScopes")


class _Widgets:
    def __init__(self, configuration):
        self._configuration = configuration
        self._defaults = {}

    def get(self, name):
        if name in self._configuration:
            return self._configuration[name]
        if name in self._defaults:
            return self._defaults[name]
        raise errors.PySparkException(
            "[INPUT_WIDGET_NOT_DEFINED] No input widget named %s is defined: set the "
            "configuration value %s" % (name, name))

    getArgument = get

    def _define(self, name, defaultValue, *args, **kwargs):
        self._defaults[name] = defaultValue

    text = dropdown = combobox = multiselect = _define


class DBUtils:
    def __init__(self, configuration):
        self.secrets = _Secrets(configuration)
        self.widgets = _Widgets(configuration)

    def __getattr__(self, name):
        raise errors.unsupported("dbutils.%s" % name)
