# Runnel from its distribution. Build the tarball first, then the image:
#   mvn -B -DskipTests package && docker build -t runnel .
#   docker run -p 9092:9092 -p 9644:9644 runnel
# Data lives in /var/lib/runnel/data (mount a volume there to keep it).
FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0-SNAPSHOT
ADD runnel-dist/target/runnel-${VERSION}.tar.gz /opt/
RUN ln -s /opt/runnel-${VERSION} /opt/runnel
WORKDIR /var/lib/runnel
EXPOSE 9092 9644
ENTRYPOINT ["/opt/runnel/bin/runnel"]
CMD ["server", \
     "--override", "listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://localhost:9093", \
     "--override", "advertised.listeners=PLAINTEXT://localhost:9092", \
     "--override", "admin.listeners=http://0.0.0.0:9644"]
