"""The `sluice` Python module as a notebook or script uses it: open a pipeline, run
updates, read datasets and the event log as tuples and pandas frames, see errors."""

import datetime
import decimal
import os
import tempfile
import unittest

import sluice


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class SluiceModuleTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        root = self.dir.name
        self.root = root
        write(os.path.join(root, "pipeline.yml"), "name: notebook\n")
        write(os.path.join(root, "data", "1.json"),
              '{"id": 1, "name": "ann", "amount": 10.5, "day": "2024-01-02"}\n'
              '{"id": 2, "name": "bob", "amount": -1, "day": "2024-01-03"}\n')
        write(os.path.join(root, "p.py"), """
import dlt
from pyspark.sql import functions as F
from pyspark.sql.functions import udf

@udf("string")
def shout(s):
    return s.upper()

@dlt.table
@dlt.expect_or_drop("positive", "amount > 0")
def orders():
    return (spark.readStream.format("json").load("data")
            .select("id", shout("name").alias("name"),
                    F.col("amount").cast("decimal(10,2)").alias("amount"),
                    F.col("day").cast("date").alias("day")))
""")

    def tearDown(self):
        self.dir.cleanup()

    def test_run_and_read(self):
        p = sluice.Pipeline(self.root)
        self.assertEqual(p.name, "notebook")
        report = p.run()
        self.assertEqual(report["state"], "COMPLETED")
        flow = report["flows"][0]
        self.assertEqual((flow["name"], flow["output_rows"], flow["dropped_records"]),
                         ("orders", 1, 1))
        self.assertEqual(flow["expectations"][0]["failed_records"], 1)
        self.assertEqual(p.read("orders"),
                         [(1, "ANN", decimal.Decimal("10.50"), datetime.date(2024, 1, 2))])
        self.assertEqual(p.query("SELECT count(*) FROM orders"), [(1,)])
        graph = p.validate()
        self.assertEqual([d["name"] for d in graph["datasets"]], ["orders"])
        self.assertIn("CREATE OR REFRESH STREAMING TABLE orders", p.compile()[0][1])

    def test_pandas_and_events(self):
        p = sluice.Pipeline(self.root)
        p.run()
        frame = p.read("orders", pandas=True)
        self.assertEqual(list(frame.columns), ["id", "name", "amount", "day"])
        self.assertEqual(frame["name"].tolist(), ["ANN"])
        events = p.events(update="latest", type="flow_progress")
        self.assertGreater(len(events), 0)

    def test_errors(self):
        write(os.path.join(self.root, "q.py"),
              "import dlt\n\n@dlt.table\ndef broken():\n    return dlt.read('ordrs')\n")
        p = sluice.Pipeline(self.root)
        with self.assertRaises(sluice.SluiceError) as raised:
            p.run()
        self.assertIn("unknown dataset 'ordrs'", str(raised.exception))
        self.assertIn("q.py:5", str(raised.exception))
        with self.assertRaises(sluice.SluiceError):
            sluice.Pipeline(os.path.join(self.root, "missing"))


if __name__ == "__main__":
    unittest.main()
